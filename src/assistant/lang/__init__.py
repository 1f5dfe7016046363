"""Language rules: what kinds of expression a text contains and a question asks for."""
