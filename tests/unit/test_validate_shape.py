"""The validator agrees with botocore's model of RegisterTaskDefinition on shape, for requests nobody wrote.

Requests are generated from botocore's own shape (every member, type, enum and
length it declares), then some are broken: a value of the wrong type, a required
key dropped, an unknown key added. botocore's ParamValidator is the referee:
- anything it refuses, we refuse (shape layer, and check() as a whole);
- what it accepts, we accept on shape, except where AWS is stricter than the
  client and its docs say so: enum values (botocore does not check them) and
  `true` where AWS wants a number (Python's bool is an int to botocore);
- past the shape, the rules never crash: any shape-valid request gets either
  a pass or one UserError line.
"""

import botocore.session
import pytest
from botocore.validate import ParamValidator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tbctl import validate
from tbctl.errors import UserError

SHAPE = botocore.session.get_session().get_service_model("ecs").operation_model("RegisterTaskDefinition").input_shape
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
WRONG = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5),
                  st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
# Values the rules look at closely, so generated requests reach them often.
STRINGS = st.one_of(st.text(max_size=12), st.sampled_from(["FARGATE", "EC2", "awsvpc", "bridge", "awslogs", "1 vCPU", "2 GB",
                                                           "256", "512", "1024", "trading-bot", "CMD", "arn:aws:iam::1:role/x"]))
INTEGERS = st.one_of(st.integers(-5, 70000), st.sampled_from([0, 1, 8080, 65535, 65536, 512]))


@st.composite
def value_of(draw, shape, depth=0, broken=False):
    """A value of `shape`; with `broken`, sometimes not (wrong type, required key missing, unknown key)."""
    if broken and draw(st.integers(0, 9)) == 0:
        return draw(WRONG)
    kind = shape.type_name
    if kind == "structure":
        optional = [name for name in shape.members if name not in shape.required_members]
        chosen = [] if depth > 4 else draw(st.lists(st.sampled_from(optional), unique=True, max_size=4)) if optional else []
        names = list(shape.required_members) + chosen
        if shape.is_tagged_union:  # exactly one member
            names = [draw(st.sampled_from(list(shape.members)))]
        if broken and names and draw(st.integers(0, 9)) == 0:
            names.remove(draw(st.sampled_from(names)))
        value = {name: draw(value_of(shape.members[name], depth + 1, broken)) for name in names}
        if broken and draw(st.integers(0, 14)) == 0:
            value[draw(st.sampled_from(["revision", "imageTag", "Family", "x"]))] = 1
        return value
    if kind == "list":
        low, high = shape.metadata.get("min", 0), min(shape.metadata.get("max", 3), 3)
        return draw(st.lists(value_of(shape.member, depth + 1, broken), min_size=low, max_size=0 if depth > 5 else high))
    if kind == "map":
        return draw(st.dictionaries(st.text(max_size=6), value_of(shape.value, depth + 1, broken), max_size=2))
    if kind == "string":
        if shape.enum:
            return draw(st.sampled_from(shape.enum))
        low, high = shape.metadata.get("min", 0), shape.metadata.get("max", 40)
        return draw(STRINGS.filter(lambda text: low <= len(text) <= high))
    if kind == "integer":
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        return draw(INTEGERS.filter(lambda n: (low is None or n >= low) and (high is None or n <= high)))
    if kind == "boolean":
        return draw(st.booleans())
    raise AssertionError(f"the model grew a {kind} member: teach this generator about it")


def botocore_refuses(request) -> bool:
    return ParamValidator().validate(request, SHAPE).has_errors()


def stricter_than_the_client(problem: str) -> bool:
    return ", not one of " in problem or problem.endswith("must be an integer")


@SETTINGS
@given(value_of(SHAPE, broken=True))
def test_what_botocore_refuses_on_shape_we_refuse(request):
    ours = validate.shape_problems(request, SHAPE)
    if botocore_refuses(request):
        assert ours, "botocore refuses this request, the validator let it through"
        with pytest.raises(UserError):
            validate.check(request, production=False)
    else:
        assert all(stricter_than_the_client(problem) for problem in ours), ours


@SETTINGS
@given(value_of(SHAPE))
def test_a_request_of_the_models_shape_passes_the_shape_layer_and_never_crashes_the_rules(request):
    assert not botocore_refuses(request)
    assert validate.shape_problems(request, SHAPE) == []
    for production in (False, True):
        try:
            validate.check(request, production=production)
        except UserError as error:
            assert "\n" not in str(error) and ". Fix: " in str(error)
    assert isinstance(validate.aws_problems(request), list)


@SETTINGS
@given(value_of(SHAPE, broken=True))
def test_the_emulators_check_never_crashes_on_what_a_client_might_send(request):
    problems = validate.aws_problems(request, unknown_keys=False)
    assert all(isinstance(problem, str) and "\n" not in problem for problem in problems)
