"""CountyWorks: plan, supervise and report a Chinese county's year of work."""

__version__ = "0.1.0"
