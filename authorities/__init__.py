"""Regions, local authorities, National Indicators and Regional Children and Young People's Forums."""
