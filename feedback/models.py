"""Readers' answers to "Was this helpful?", and the searches that found nothing.

Neither ever holds a paste: a vote names the page it is about and carries at most a short
comment, masked of anything secret-shaped; a missed search keeps its words, normalised and capped.
"""

from django.db import models

COMMENT_MAX_LENGTH = 1000
QUERY_MAX_LENGTH = 100


class Vote(models.Model):
    # A page key such as "code:1007", "guide:retries" or "diagnosis:1007" (see feedback/pages.py).
    page = models.CharField(max_length=64, db_index=True)
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=COMMENT_MAX_LENGTH)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.page}: {'yes' if self.helpful else 'no'}"


class MissedSearch(models.Model):
    query = models.CharField(max_length=QUERY_MAX_LENGTH, unique=True)
    count = models.PositiveIntegerField(default=0)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-count", "-last_seen"]
        verbose_name_plural = "missed searches"

    def __str__(self) -> str:
        return self.query
