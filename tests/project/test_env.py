"""The typed environment readers return the right type or fail loudly, naming the variable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from alongside.env import env_bool, env_choice, env_int, env_list, env_str

NAME = "ALONGSIDE_TEST_SETTING"


@pytest.fixture(autouse=True)
def unset(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)


@pytest.fixture
def set_env(monkeypatch):
    def set_value(value: str) -> None:
        monkeypatch.setenv(NAME, value)

    return set_value


def fails_naming_the_variable(call, *args, **kwargs) -> str:
    with pytest.raises(ImproperlyConfigured) as caught:
        call(NAME, *args, **kwargs)
    message = str(caught.value)
    assert NAME in message
    return message


# env_str


def test_str_returns_the_value_without_surrounding_spaces(set_env):
    set_env("  hello  ")
    assert env_str(NAME) == "hello"


def test_str_uses_the_default_when_unset():
    assert env_str(NAME, "fallback") == "fallback"


def test_str_allows_an_empty_default():
    assert env_str(NAME, "") == ""


def test_str_without_default_is_required():
    assert fails_naming_the_variable(env_str) == f"Set the environment variable {NAME}."


def test_str_treats_blank_as_missing(set_env):
    set_env("   ")
    fails_naming_the_variable(env_str)


def test_str_with_none_default_is_still_required():
    fails_naming_the_variable(env_str, None)


# env_bool


@pytest.mark.parametrize("value", ["1", "true", "True", "YES", "on", " yes "])
def test_bool_true_values(value, set_env):
    set_env(value)
    assert env_bool(NAME, False) is True


@pytest.mark.parametrize("value", ["0", "false", "FALSE", "no", "Off"])
def test_bool_false_values(value, set_env):
    set_env(value)
    assert env_bool(NAME, True) is False


@pytest.mark.parametrize("default", [True, False])
def test_bool_uses_the_default_when_unset_or_blank(default, set_env):
    assert env_bool(NAME, default) is default
    set_env("")
    assert env_bool(NAME, default) is default


@pytest.mark.parametrize("value", ["maybe", "2", "enabled", "t"])
def test_bool_rejects_anything_else(value, set_env):
    set_env(value)
    message = fails_naming_the_variable(env_bool, True)
    assert "true or false" in message
    assert repr(value) in message


# env_int


def test_int_parses_whole_numbers(set_env):
    set_env(" 42 ")
    assert env_int(NAME, 7) == 42


def test_int_uses_the_default_when_unset():
    assert env_int(NAME, 7) == 7


@pytest.mark.parametrize("value", ["thirty", "1.5", "1e3", "10m"])
def test_int_rejects_non_numbers(value, set_env):
    set_env(value)
    message = fails_naming_the_variable(env_int, 7)
    assert "whole number" in message


def test_int_enforces_the_minimum(set_env):
    set_env("0")
    message = fails_naming_the_variable(env_int, 7, minimum=1)
    assert "at least 1" in message


def test_int_accepts_the_minimum_itself(set_env):
    set_env("1")
    assert env_int(NAME, 7, minimum=1) == 1


# env_list


def test_list_splits_on_commas_and_drops_blanks(set_env):
    set_env(" a.example.org, b.example.org ,, ")
    assert env_list(NAME) == ["a.example.org", "b.example.org"]


def test_list_uses_the_default_when_unset():
    assert env_list(NAME, ["x"]) == ["x"]


def test_list_allows_an_empty_default():
    assert env_list(NAME, []) == []


def test_list_without_default_is_required():
    message = fails_naming_the_variable(env_list)
    assert "comma-separated" in message


def test_list_of_only_commas_counts_as_missing(set_env):
    set_env(" , ,")
    fails_naming_the_variable(env_list)


# env_choice


def test_choice_returns_an_allowed_value(set_env):
    set_env("test")
    assert env_choice(NAME, ["production", "test"], "production") == "test"


def test_choice_uses_the_default_when_unset():
    assert env_choice(NAME, ["production", "test"], "production") == "production"


def test_choice_is_case_sensitive(set_env):
    set_env("Production")
    fails_naming_the_variable(env_choice, ["production", "test"], "production")


def test_choice_rejects_other_values_listing_the_allowed_ones(set_env):
    set_env("staging")
    message = fails_naming_the_variable(env_choice, ["production", "test"], "production")
    assert "production, test" in message
    assert "'staging'" in message
