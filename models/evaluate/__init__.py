"""Evaluations of the shipped models: ``mailassist eval <task>`` runs ``models.evaluate.<task>.main``."""
