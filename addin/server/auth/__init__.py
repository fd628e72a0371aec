"""Authentication providers of the add-in's xlwings Server project (``custom``)."""
