// placeholder: JS number formatting, filled in by the runtime work
