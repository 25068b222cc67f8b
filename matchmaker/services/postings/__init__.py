"""Results and needs: their lifecycle, field rules and review."""
