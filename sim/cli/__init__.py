"""One module per command of `python -m sim`; each has `add_arguments(parser)` and
`main(args) -> exit code`. `sim.cli.main` finds them through its `COMMANDS` table."""
