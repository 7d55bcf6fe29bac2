"""``python -m stca`` runs the command line."""

from stca.cli import main

main()
