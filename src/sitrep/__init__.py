"""sitrep: conflict events from news pages, as data."""
