"""Drives terraform (through python-terraform) for the environments and the bootstrap root."""
