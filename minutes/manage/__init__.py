"""The write side's views, split by concern (upload, review, edit, history, trash, conflicts, files).

Every view checks the role on the server through ``minutes.permissions``: anonymous
users are sent to the login page, signed-in users without the role get 403.
"""
