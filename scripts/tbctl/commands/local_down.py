HELP = "stop the local AWS emulator"


def run(args) -> int:
    from tbctl.emulator import control

    print("local AWS emulator stopped" if control.down() else "local AWS emulator was not running")
    return 0
