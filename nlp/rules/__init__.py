"""Parsing rules, the pure part: what a rule is, whether it matches a mail, what it extracts, how a
mapping is learned from a highlighted sample. No database here; ``crm.rules`` stores rules and writes
records."""

from nlp.rules.definition import Mapping, RuleDefinition, RuleError, parse_definition
from nlp.rules.engine import Evaluation, FieldResult, evaluate, extract_mapping
from nlp.rules.learner import Learned, learn_field, suggest_match
from nlp.rules.mailview import MailView, view_from_raw, view_from_text, view_of
from nlp.rules.safe_regex import Budget, RegexTimeout

__all__ = ["Mapping", "RuleDefinition", "RuleError", "parse_definition", "Evaluation", "FieldResult", "evaluate",
           "extract_mapping", "Learned", "learn_field", "suggest_match", "MailView", "view_from_raw",
           "view_from_text", "view_of", "Budget", "RegexTimeout"]
