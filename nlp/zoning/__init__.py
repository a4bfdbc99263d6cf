"""Reply zoning: a zone and a confidence for every line of a message body.

``Zoner().pipe(bodies)`` is the batch API; the pipeline component is ``nlp.zoning.component``.
"""

from nlp.zoning.labels import NEW_TEXT_ZONES, ZONES
from nlp.zoning.zoner import Zoner, Zoning

__all__ = ["ZONES", "NEW_TEXT_ZONES", "Zoner", "Zoning"]
