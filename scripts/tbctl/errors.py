"""Failures a user can cause, printed as one line with the fix."""


class UserError(Exception):
    """Something the user can fix. The CLI prints it as one line and exits non-zero."""

    def __init__(self, problem: str, fix: str | None = None, code: int = 1):
        super().__init__(problem)
        self.problem = problem.rstrip(".")
        self.fix = fix
        self.code = code

    def __str__(self) -> str:
        if self.fix:
            return f"{self.problem}. Fix: {self.fix}"
        return self.problem


def translate(exc: BaseException) -> UserError | None:
    """Turn a known library failure into a UserError; None when it is a bug of ours."""
    name = type(exc).__name__
    text = str(exc).splitlines()[0] if str(exc) else name
    if name in {"NoCredentialsError", "PartialCredentialsError"}:
        return UserError("no AWS credentials found", "export AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or use TARGET=local")
    if name in {"TokenRetrievalError", "SSOTokenLoadError", "UnauthorizedSSOTokenError"}:
        return UserError("the AWS SSO session has expired", "run `aws sso login` and retry")
    if name == "EndpointConnectionError":
        return UserError(f"cannot reach AWS: {text}", "for TARGET=local run `make local-up`; otherwise check the network")
    if name == "ClientError":
        code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
        if code in {"ExpiredToken", "ExpiredTokenException", "RequestExpired"}:
            return UserError("the AWS credentials have expired", "refresh them (e.g. `aws sso login`) and retry")
        if code in {"InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "AuthFailure"}:
            return UserError("the AWS credentials are not valid", "check AWS_PROFILE / AWS_ACCESS_KEY_ID and retry")
        if code in {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"}:
            return UserError(f"AWS denied the request: {text}", "grant the deploy policy (see README, 'Permissions') to your identity")
        return UserError(f"AWS rejected the request: {text}", "see the message above; nothing further was changed")
    return None
