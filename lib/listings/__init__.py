"""Listing pages with stable pagination, shared by every archive family."""

from .feeds import date_stably, write_feeds
from .order import newest_first, oldest_first
from .pagination import ListingPage, paginate
from .periods import MonthArchive, YearArchive, group_by_period
from .writing import write_listing, write_period_listings

__all__ = [
    "ListingPage",
    "MonthArchive",
    "YearArchive",
    "date_stably",
    "group_by_period",
    "newest_first",
    "oldest_first",
    "paginate",
    "write_feeds",
    "write_listing",
    "write_period_listings",
]
