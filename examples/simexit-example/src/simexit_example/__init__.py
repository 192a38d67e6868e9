"""A demonstration simexit country package (user-assigned code XA)."""
