"""One module per schema revision; each says whether it is ``online_safe`` (see ``assistant.schema``)."""
