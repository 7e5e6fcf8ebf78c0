from dangyuan_cli.cli.app import main

main()
