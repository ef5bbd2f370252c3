"""Hỏi đáp: questions from readers, answers from staff, usefulness ratings."""
