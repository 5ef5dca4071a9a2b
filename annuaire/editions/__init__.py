"""Editions: which entries an edition holds (territory), how they are grouped (group), many editions at once (batch)."""
