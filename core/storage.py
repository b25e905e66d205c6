"""Static files with hashed, compressed names (WhiteNoise), tolerant of third-party
scripts that name source maps they do not ship."""

from django.contrib.staticfiles.storage import HashedFilesMixin
from whitenoise.storage import CompressedManifestStaticFilesStorage

CSS_PATTERNS = next(p for p in HashedFilesMixin.patterns if p[0] == "*.css")


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Scripts' ``sourceMappingURL`` comments are left as they are: the minified
    markercluster script names a map its package does not ship, and hashing would refuse
    it. Stylesheets' references are still rewritten to hashed names."""

    patterns = (CSS_PATTERNS,)
