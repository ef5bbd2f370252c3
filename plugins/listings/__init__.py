"""Listing pages with stable pagination, shared by every archive family."""

from .feeds import write_feeds
from .pagination import ListingPage, paginate
from .periods import MonthArchive, YearArchive, group_by_period
from .writing import write_listing, write_period_listings

__all__ = [
    "ListingPage",
    "MonthArchive",
    "YearArchive",
    "group_by_period",
    "paginate",
    "write_feeds",
    "write_listing",
    "write_period_listings",
]
