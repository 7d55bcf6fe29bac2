"""Command-line shells around the three uses; each module registers its commands on the main app.

Heavy libraries (FastAPI, SQLAlchemy, Dask, plotting) are imported inside the command functions, so
``stca check`` starts in a fraction of a second.
"""
