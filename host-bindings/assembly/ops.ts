// placeholder: JS operator semantics helpers
