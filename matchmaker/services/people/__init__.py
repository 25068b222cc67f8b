"""People: organization verification and memberships (who may act in an organization's name)."""
