"""Assessor entry: Excel checklists, XLSForm field forms, and imports of ODK/Kobo exports (to audit JSON)."""
