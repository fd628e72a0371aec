"""Custom scripts for xlwings Server: none (the add-in offers functions only)."""
