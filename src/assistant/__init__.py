"""Kuiwen Civic Assistant: cited, extractive answers from the district's published documents."""
