"""Helpers for the end-trafficking course."""
