HELP = "stop the local AWS emulator"


def run(args) -> int:
    from tbctl.emulator import control

    result = control.down()
    for note in result.notes:
        print(note)
    print("local AWS emulator stopped" if result.stopped else "local AWS emulator was not running")
    return 0
