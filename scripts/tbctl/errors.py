"""Failures a user can cause, printed as one line with the fix.

`translate` is the one list of library and system failures that are the
user's to fix (their AWS configuration, their disk, their build/ folder);
whatever it does not know is a bug of ours and reads "unexpected".
"""

import errno
import os


class UserError(Exception):
    """Something the user can fix. The CLI prints it as one line and exits non-zero.

    `details` is another program's own text (terraform's error, whole): the CLI
    shows it above the one line, which stays ours.
    """

    def __init__(self, problem: str, fix: str | None = None, code: int = 1, details: str | None = None):
        super().__init__(problem)
        self.problem = problem.rstrip(".")
        self.fix = fix
        self.code = code
        self.details = details

    def __str__(self) -> str:
        if self.fix:
            return f"{self.problem}. Fix: {self.fix}"
        return self.problem


def one_line(text: str) -> str:
    """`text` with its line breaks and runs of blanks folded into single spaces: never cut."""
    return " ".join(str(text).split())


# The user's AWS configuration (variables, ~/.aws/config, credentials) is unusable as it is.
_AWS_CONFIG = {
    "ConfigParseError", "ConfigNotFound", "InvalidConfigError", "InfiniteLoopConfigError", "UnknownCredentialError",
    "InvalidRegionError", "NoRegionError", "UnknownRegionError", "InvalidRetryModeError",
    "InvalidMaxRetryAttemptsError", "InvalidDefaultsMode", "InvalidIMDSEndpointError", "InvalidIMDSEndpointModeError",
    "InvalidEndpointDiscoveryConfigurationError", "InvalidSTSRegionalEndpointsConfigError",
    "InvalidS3UsEast1RegionalEndpointConfigError", "InvalidChecksumConfigError", "InvalidProxiesConfigError",
    "InvalidS3AddressingStyleError", "UnknownSignatureVersionError", "UnknownTokenProviderError",
}
# Getting credentials failed in a way only the user can mend (a credential_process, a role to assume, a login).
_CREDENTIALS = {"CredentialRetrievalError", "RefreshWithMFAUnsupportedError", "LoginError", "LoginTokenLoadError",
                "LoginRefreshRequired", "LoginInsufficientPermissions", "LoginAuthorizationCodeError",
                "MetadataRetrievalError", "SSOError"}
# The way to AWS (network, proxy, TLS) is broken on this machine.
_NETWORK = {"EndpointConnectionError", "ConnectTimeoutError", "ProxyConnectionError", "SSLError", "ConnectionClosedError",
            "ReadTimeoutError"}
# Files and folders we write that this machine refuses: errno -> (what is wrong, how to fix it).
_FILE_ERRORS = {
    errno.EACCES: ("permission denied", "make it writable for you (chmod u+w), or remove it and re-run"),
    errno.EPERM: ("operation not permitted", "make it writable for you (chmod u+w, chattr -i), or remove it and re-run"),
    errno.EROFS: ("the file system is read-only", "run from a writable checkout"),
    errno.ENOSPC: ("the disk is full", "free some space (`make clean` removes build outputs) and re-run"),
    errno.EDQUOT: ("the disk quota is exhausted", "free some space (`make clean` removes build outputs) and re-run"),
    errno.ENOTDIR: ("a file stands where a folder must be", "move or delete that file, then re-run"),
    errno.EEXIST: ("a file stands where a folder must be", "move or delete that file, then re-run"),
    errno.EISDIR: ("a folder stands where a file must be", "move or delete that folder, then re-run"),
    errno.ENAMETOOLONG: ("the path is too long", "run from a checkout with a shorter path"),
    errno.EMFILE: ("too many open files", "raise the limit (ulimit -n 4096) and re-run"),
}


def _relative(path: str) -> str:
    """`path` relative to the repository when it lies inside it (shorter, and names the folder the user knows)."""
    root = os.environ.get("TBCTL_ROOT") or os.getcwd()
    absolute = os.path.abspath(path)
    return os.path.relpath(absolute, root) if absolute.startswith(os.path.abspath(root) + os.sep) else absolute


def _starting_a_program(exc: OSError) -> bool:
    """Whether `exc` came from starting another program (subprocess), not from a file of ours."""
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_name == "_execute_child":
            return True
        tb = tb.tb_next
    return False


def _file_error(exc: OSError) -> UserError | None:
    if exc.errno in {errno.ENOENT, errno.EACCES, errno.ENOEXEC} and exc.filename and _starting_a_program(exc):
        program = os.fsdecode(exc.filename)
        return UserError(f"cannot run {program}: {exc.strerror or 'not found'}",
                         "install it, or correct the setting that names it (PATH, TERRAFORM, credential_process in "
                         "~/.aws/config)")
    if exc.errno not in _FILE_ERRORS:
        return None
    what, fix = _FILE_ERRORS[exc.errno]
    names = [_relative(os.fsdecode(name)) for name in (exc.filename, exc.filename2) if name]
    where = f" ({' -> '.join(names)})" if names else ""
    return UserError(f"cannot write{where}: {what}", fix)


def translate(exc: BaseException) -> UserError | None:
    """Turn a known library or system failure into a UserError; None when it is a bug of ours."""
    name = type(exc).__name__
    text = one_line(exc) if str(exc) else name
    if name in {"NoCredentialsError", "PartialCredentialsError"}:
        return UserError("no AWS credentials found", "export AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or use TARGET=local")
    if name in {"TokenRetrievalError", "SSOTokenLoadError", "UnauthorizedSSOTokenError"}:
        return UserError("the AWS SSO session has expired", "run `aws sso login` and retry")
    if name == "ProfileNotFound":
        profile = getattr(exc, "kwargs", {}).get("profile", "?")
        known = _profiles()
        fix = f"set AWS_PROFILE to one of: {', '.join(known)}" if known else f"create it (`aws configure --profile {profile}`)"
        return UserError(f"the AWS profile '{profile}' is not in your AWS config files",
                         f"{fix}, or unset AWS_PROFILE (TARGET=local needs none)")
    if name in _AWS_CONFIG:
        return UserError(f"the AWS configuration is not usable: {text}",
                         "correct ~/.aws/config or the AWS_* variable it names (AWS_PROFILE, AWS_REGION, AWS_CONFIG_FILE), "
                         "or use TARGET=local")
    if name in _CREDENTIALS:
        return UserError(f"getting AWS credentials failed: {text}",
                         "check the profile's credential settings (AWS_PROFILE, ~/.aws/config) and sign in again")
    if name in _NETWORK:
        return UserError(f"cannot reach AWS: {text}", "for TARGET=local run `make local-up`; otherwise check the network, "
                         "proxy (HTTPS_PROXY) and AWS_CA_BUNDLE")
    if name == "ClientError":
        code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
        if code in {"ExpiredToken", "ExpiredTokenException", "RequestExpired"}:
            return UserError("the AWS credentials have expired", "refresh them (e.g. `aws sso login`) and retry")
        if code in {"InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "AuthFailure"}:
            return UserError("the AWS credentials are not valid", "check AWS_PROFILE / AWS_ACCESS_KEY_ID and retry")
        if code in {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"}:
            return UserError(f"AWS denied the request: {text}", "grant the deploy policy (see README, 'Permissions') to your identity")
        return UserError(f"AWS rejected the request: {text}", "see the message above; nothing further was changed")
    if isinstance(exc, OSError):  # after botocore's, some of which are OSErrors too
        return _file_error(exc)
    return None


def _profiles() -> list[str]:
    """The profiles the user's AWS config files define, for the fix of a mistyped AWS_PROFILE."""
    try:
        import botocore.session

        session = botocore.session.Session(session_vars={"profile": (None, None, None, None)})
        return sorted(set(session.available_profiles))
    except Exception:  # noqa: BLE001 - a broken config file: its own error comes once AWS_PROFILE is fixed
        return []
