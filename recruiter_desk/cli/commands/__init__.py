"""One module per group of commands; each command is ``arguments_NAME`` + ``run_NAME``."""
