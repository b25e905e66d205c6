from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION public.f_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION public.french_unaccent (COPY = pg_catalog.french);
        ALTER TEXT SEARCH CONFIGURATION public.french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, french_stem;
    END IF;
END
$$;
"""

BACKWARD = """
DROP TEXT SEARCH CONFIGURATION IF EXISTS public.french_unaccent;
DROP FUNCTION IF EXISTS public.f_unaccent(text);
"""


class Migration(migrations.Migration):
    """French full-text search that ignores accents: "coopération", "cooperation" and
    "COOPERATIONS" share one lexeme. f_unaccent is IMMUTABLE so that it can be indexed."""

    dependencies = [("clusters", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
