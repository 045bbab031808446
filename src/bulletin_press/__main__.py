from .cli import main

main(prog_name="bulletin-press")
