"""A loopback stand-in for the two AWS calls the preflight makes, which the emulator lacks.

STS GetCallerIdentity and IAM SimulatePrincipalPolicy (query protocol, XML
answers), with the caller, the allowed actions and an optional error set per test.
"""

import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


class FakeIam:
    def __init__(self, caller_arn: str, allowed: set[str] | None = None, error: str | None = None):
        self.caller_arn = caller_arn
        self.allowed = allowed or set()
        self.error = error  # e.g. "ExpiredToken": every call fails with it
        self.calls: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode()).items()}
                fake.calls.append(form)
                status, body = fake.answer(form)
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, form: dict) -> tuple[int, str]:
        if self.error:
            return 403, (f"<ErrorResponse><Error><Type>Sender</Type><Code>{self.error}</Code>"
                         f"<Message>The security token included in the request is expired</Message></Error>"
                         "<RequestId>1</RequestId></ErrorResponse>")
        action = form.get("Action")
        if action == "GetCallerIdentity":
            account = self.caller_arn.split(":")[4]
            return 200, ("<GetCallerIdentityResponse><GetCallerIdentityResult>"
                         f"<Arn>{escape(self.caller_arn)}</Arn><UserId>AIDTEST</UserId><Account>{account}</Account>"
                         "</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>"
                         "</GetCallerIdentityResponse>")
        if action == "SimulatePrincipalPolicy":
            names = [v for k, v in sorted(form.items()) if k.startswith("ActionNames.member.")]
            members = "".join(
                f"<member><EvalActionName>{escape(n)}</EvalActionName><EvalResourceName>*</EvalResourceName>"
                f"<EvalDecision>{'allowed' if n in self.allowed else 'implicitDeny'}</EvalDecision></member>"
                for n in names)
            return 200, ("<SimulatePrincipalPolicyResponse><SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated>"
                         f"<EvaluationResults>{members}</EvaluationResults></SimulatePrincipalPolicyResult>"
                         "<ResponseMetadata><RequestId>2</RequestId></ResponseMetadata></SimulatePrincipalPolicyResponse>")
        return 400, f"<ErrorResponse><Error><Code>InvalidAction</Code><Message>{escape(str(action))}</Message></Error></ErrorResponse>"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
