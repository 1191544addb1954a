from gyrfalcon.cli import main

main()
