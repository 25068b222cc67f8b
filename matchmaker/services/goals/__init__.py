"""The 三十三百 figures, their evidence, progress, funnel and the annual report."""
