"""The vectorised numpy FIT decoder: equal to fitparse value for value on every file it
accepts, and declining (``None``) anything it does not reproduce exactly."""
