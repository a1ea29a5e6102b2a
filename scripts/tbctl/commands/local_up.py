HELP = "start the local AWS emulator (moto) if it is not running"


def run(args) -> int:
    from tbctl.emulator import control

    pid = control.up()
    print(f"local AWS emulator is running (pid {pid})")
    return 0
