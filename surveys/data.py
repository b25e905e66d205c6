"""The programme's two 2015 surveys, as data: one to clusters, one to territories.

Questions follow the programme sheet: the state of cooperation between rural
enterprises and urban research centres, its problems and first experiences, shared
services and innovation places, the workshop themes expected, and how each structure
works with the other side of the rural–urban divide. A question's condition names
an earlier choice question's code and one of its choices.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

WORKSHOP_THEMES = [
    "Agroalimentaire",
    "Bois et forêt",
    "Tourisme",
    "Numérique",
    "Énergie et transition écologique",
    "Économie circulaire",
    "Mobilité",
    "Santé et vieillissement",
    "Compétences et emploi",
    "Lieux d'innovation et créativité",
]


# A yes/no question that later questions depend on is asked as a two-choice question, since
# conditions point to choices.
YES_NO = ["Oui", "Non"]


def q(
    code, label, kind, *, required=False, choices=(), other=False, help="", condition=None, **extra
):
    return {
        "code": code, "label": label, "kind": kind, "required": required, "choices": list(choices),
        "allow_other": other, "help_text": help, "condition": condition, **extra,
    }  # fmt: skip


CLUSTERS_2015 = {
    "slug": "enquete-2015-clusters",
    "title": "Enquête 2015 auprès des clusters",
    "audience": "structures",
    "status": "closed",
    "opens_at": datetime(2015, 9, 21, 9, tzinfo=PARIS),
    "closes_at": datetime(2015, 11, 13, 18, tzinfo=PARIS),
    "results_public": True,
    "intro": (
        "France Clusters, l'ANPP et l'INRA dressent l'état des lieux des coopérations entre "
        "entreprises rurales et centres de recherche en milieu urbain : les difficultés "
        "rencontrées, les premières expériences réussies, les services mutualisés.\n\n"
        "Vos réponses serviront à choisir les thèmes des ateliers du séminaire du "
        "**3 décembre 2015**. Comptez une quinzaine de minutes ; vous pouvez enregistrer et "
        "revenir plus tard."
    ),
    "thank_you": (
        "Merci pour votre contribution ! Les résultats agrégés seront publiés sur le "
        "portail et présentés lors du séminaire du 3 décembre 2015."
    ),
    "results_summary": (
        "Les clusters interrogés comptent en moyenne une part importante d'adhérents en zone "
        "rurale. La distance et la méconnaissance des interlocuteurs de la recherche sont les "
        "premiers obstacles cités ; les lieux d'innovation et la filière bois ressortent parmi "
        "les thèmes d'atelier attendus."
    ),
    "sections": [
        {
            "title": "Votre cluster",
            "questions": [
                q(
                    "type",
                    "Quel type de structure représentez-vous ?",
                    "single_list",
                    required=True,
                    choices=[
                        "Cluster ou grappe d'entreprises",
                        "Pôle de compétitivité",
                        "Association d'entreprises",
                    ],
                    other=True,
                ),
                q(
                    "adherents",
                    "Combien d'entreprises adhèrent à votre structure ?",
                    "integer",
                    required=True,
                    help="Un ordre de grandeur suffit.",
                ),
                q(
                    "part_rurale",
                    "Quelle part de vos adhérents est installée en zone rurale ?",
                    "integer",
                    help="En pourcentage, de 0 à 100.",
                ),
                q(
                    "secteurs",
                    "Quels secteurs vos adhérents représentent-ils ?",
                    "multiple",
                    choices=[
                        "Agroalimentaire",
                        "Bois et ameublement",
                        "Tourisme",
                        "Numérique",
                        "Énergie",
                        "Mécanique et industrie",
                        "Santé",
                        "Services aux entreprises",
                    ],
                    other=True,
                    max_choices=5,
                    help="Cinq au plus.",
                ),
            ],
        },
        {
            "title": "Coopérations avec la recherche en ville",
            "questions": [
                q(
                    "cooperent",
                    "Vos entreprises rurales coopèrent-elles avec des centres de recherche ou d'enseignement supérieur situés en ville ?",
                    "single",
                    required=True,
                    choices=YES_NO,
                ),
                q(
                    "frequence",
                    "À quelle fréquence ?",
                    "single",
                    required=True,
                    choices=["Régulièrement", "Ponctuellement"],
                    condition=("cooperent", "Oui"),
                ),
                q(
                    "formes",
                    "Sous quelles formes ?",
                    "multiple",
                    required=True,
                    choices=[
                        "Projets de recherche et développement",
                        "Thèses en entreprise (CIFRE)",
                        "Prestations techniques",
                        "Stages et alternance",
                        "Plateformes techniques partagées",
                    ],
                    other=True,
                    condition=("cooperent", "Oui"),
                ),
                q(
                    "exemple",
                    "Décrivez une coopération réussie entre une entreprise rurale et un laboratoire urbain.",
                    "long_text",
                    condition=("cooperent", "Oui"),
                ),
                q(
                    "obstacles",
                    "Quels sont les principaux obstacles à ces coopérations ?",
                    "multiple",
                    required=True,
                    choices=[
                        "La distance",
                        "Le coût",
                        "Le manque de temps des dirigeants",
                        "La méconnaissance des interlocuteurs",
                        "La propriété intellectuelle",
                        "Des cultures de travail différentes",
                    ],
                    other=True,
                    min_choices=1,
                    max_choices=3,
                    help="Trois au plus.",
                ),
                q(
                    "difficulte",
                    "Est-il difficile, pour vos adhérents, de trouver le bon interlocuteur dans la recherche ?",
                    "scale",
                    required=True,
                    scale_min=1,
                    scale_max=5,
                    scale_min_label="très facile",
                    scale_max_label="très difficile",
                ),
            ],
        },
        {
            "title": "Services mutualisés et lieux d'innovation",
            "questions": [
                q(
                    "services",
                    "Quels services mutualisés proposez-vous à vos adhérents ?",
                    "multiple",
                    choices=[
                        "Veille et information",
                        "Achats groupés",
                        "Locaux partagés",
                        "Fab lab ou atelier partagé",
                        "Formation",
                        "Recrutement et emplois partagés",
                    ],
                    other=True,
                ),
                q(
                    "mutualiser",
                    "Seriez-vous prêt à partager un service avec un territoire rural voisin ?",
                    "yes_no",
                ),
                q(
                    "lieu",
                    "Disposez-vous d'un lieu d'innovation (tiers-lieu, fab lab, pépinière, technopole) ?",
                    "single",
                    choices=YES_NO,
                    required=True,
                ),
                q(
                    "lieu_nom",
                    "Quel est ce lieu, et dans quelle commune ?",
                    "short_text",
                    condition=("lieu", "Oui"),
                ),
                q("lieu_date", "Depuis quand est-il ouvert ?", "date", condition=("lieu", "Oui")),
                q(
                    "lieu_surface",
                    "Quelle surface offre-t-il (en m²) ?",
                    "decimal",
                    condition=("lieu", "Oui"),
                ),
            ],
        },
        {
            "title": "Ateliers et suites",
            "questions": [
                q(
                    "themes",
                    "Sur quels thèmes souhaitez-vous travailler lors des ateliers ?",
                    "multiple",
                    required=True,
                    choices=WORKSHOP_THEMES,
                    min_choices=1,
                    max_choices=3,
                    help="De un à trois thèmes.",
                ),
                q(
                    "complementarites",
                    "Quelles complémentarités entre ville et campagne voyez-vous pour vos entreprises ?",
                    "long_text",
                ),
                q(
                    "temoigner",
                    "Souhaitez-vous témoigner lors du séminaire du 3 décembre 2015 ?",
                    "single",
                    choices=YES_NO,
                ),
                q(
                    "contact",
                    "À quelle adresse pouvons-nous joindre la personne qui témoignera ?",
                    "email",
                    required=True,
                    condition=("temoigner", "Oui"),
                ),
                q("site_projet", "Un projet à faire connaître ? Indiquez son site web.", "url"),
            ],
        },
    ],
}

TERRITORIES_2015 = {
    "slug": "enquete-2015-territoires",
    "title": "Enquête 2015 auprès des territoires",
    "audience": "territories",
    "status": "closed",
    "opens_at": datetime(2015, 9, 21, 9, tzinfo=PARIS),
    "closes_at": datetime(2015, 11, 13, 18, tzinfo=PARIS),
    "results_public": True,
    "intro": (
        "Avec l'ANPP et l'INRA, France Clusters interroge les Pays, les PETR et les "
        "territoires de projet sur leur animation économique et leurs liens avec les clusters "
        "et les villes voisines.\n\n"
        "Vos réponses nourriront les ateliers du séminaire du **3 décembre 2015**. Comptez "
        "une quinzaine de minutes ; vous pouvez enregistrer et revenir plus tard."
    ),
    "thank_you": (
        "Merci ! Les résultats agrégés seront publiés sur le portail et présentés lors du "
        "séminaire du 3 décembre 2015."
    ),
    "results_summary": (
        "La plupart des territoires répondants consacrent du temps d'animation à l'économie "
        "locale, souvent par des pépinières et des circuits courts. Les relations avec "
        "l'agglomération voisine passent d'abord par l'alimentation et le tourisme."
    ),
    "sections": [
        {
            "title": "Votre territoire",
            "questions": [
                q(
                    "type",
                    "Quel type de territoire représentez-vous ?",
                    "single",
                    required=True,
                    choices=[
                        "Pays",
                        "PETR",
                        "GAL LEADER",
                        "Communauté de communes",
                        "Parc naturel régional",
                    ],
                    other=True,
                ),
                q(
                    "population",
                    "Combien d'habitants compte votre territoire ?",
                    "integer",
                    required=True,
                ),
                q("communes", "Combien de communes le composent ?", "integer"),
                q(
                    "leader",
                    "Votre territoire porte-t-il un programme LEADER en cours ?",
                    "yes_no",
                    required=True,
                ),
                q(
                    "ruralite",
                    "Comment qualifieriez-vous votre territoire ?",
                    "scale",
                    required=True,
                    scale_min=1,
                    scale_max=5,
                    scale_min_label="plutôt urbain",
                    scale_max_label="très rural",
                ),
            ],
        },
        {
            "title": "Animation économique",
            "questions": [
                q(
                    "charge_mission",
                    "Un chargé de mission consacre-t-il du temps au développement économique ?",
                    "single",
                    choices=YES_NO,
                    required=True,
                ),
                q(
                    "etp",
                    "Combien d'équivalents temps plein y sont consacrés ?",
                    "decimal",
                    required=True,
                    condition=("charge_mission", "Oui"),
                    help="Par exemple : 0,5.",
                ),
                q(
                    "actions",
                    "Quelles actions d'animation économique menez-vous ?",
                    "multiple",
                    choices=[
                        "Pépinière ou hôtel d'entreprises",
                        "Cluster ou pôle territorial de coopération économique",
                        "Marque territoriale",
                        "Circuits courts",
                        "Accueil de nouveaux actifs",
                        "Tiers-lieu",
                    ],
                    other=True,
                ),
                q("action_exemple", "Racontez une action qui a bien fonctionné.", "long_text"),
            ],
        },
        {
            "title": "Liens avec les clusters et la ville",
            "questions": [
                q(
                    "cluster",
                    "Travaillez-vous avec un cluster ou un pôle de compétitivité ?",
                    "single",
                    choices=YES_NO,
                    required=True,
                ),
                q(
                    "cluster_nom",
                    "Lequel, et sur quel projet ?",
                    "short_text",
                    condition=("cluster", "Oui"),
                ),
                q(
                    "agglomeration",
                    "Quelles relations entretenez-vous avec l'agglomération voisine ?",
                    "multiple",
                    choices=[
                        "Contrat de réciprocité",
                        "Projet alimentaire territorial",
                        "Mobilité",
                        "Tourisme",
                        "Aucune relation formalisée",
                    ],
                    other=True,
                ),
                q(
                    "intensite",
                    "Ces relations sont-elles suivies ?",
                    "scale",
                    scale_min=1,
                    scale_max=5,
                    scale_min_label="très ponctuelles",
                    scale_max_label="très suivies",
                ),
                q(
                    "obstacles",
                    "Qu'est-ce qui freine la coopération avec les entreprises et la recherche urbaines ?",
                    "multiple",
                    choices=[
                        "Le manque de moyens d'animation",
                        "La distance",
                        "Des calendriers différents",
                        "La réforme territoriale (loi NOTRe)",
                        "La méconnaissance mutuelle",
                    ],
                    other=True,
                    max_choices=3,
                ),
            ],
        },
        {
            "title": "Ateliers et suites",
            "questions": [
                q(
                    "themes",
                    "Sur quels thèmes souhaitez-vous travailler lors des ateliers ?",
                    "multiple",
                    required=True,
                    choices=WORKSHOP_THEMES,
                    min_choices=1,
                    max_choices=3,
                    help="De un à trois thèmes.",
                ),
                q("attentes", "Qu'attendez-vous du programme et des ateliers ?", "long_text"),
                q(
                    "temoigner",
                    "Souhaitez-vous témoigner lors du séminaire du 3 décembre 2015 ?",
                    "single",
                    choices=YES_NO,
                ),
                q(
                    "contact",
                    "À quelle adresse pouvons-nous joindre la personne qui témoignera ?",
                    "email",
                    required=True,
                    condition=("temoigner", "Oui"),
                ),
            ],
        },
    ],
}

BELONGING_2027 = {
    "slug": "enquete-2027-appartenance",
    "title": "Enquête 2027 : appartenance et coopération",
    "audience": "both",
    "status": "open",
    "opens_at": datetime(2026, 11, 2, 9, tzinfo=PARIS),
    "closes_at": datetime(2027, 2, 26, 18, tzinfo=PARIS),
    "results_public": False,
    "intro": (
        "Pour préparer le mémento n°3, l'ANPP vous interroge sur le sentiment "
        "d'appartenance à votre réseau et à votre territoire. Cinq minutes suffisent."
    ),
    "thank_you": "Merci ! Vos réponses nourriront les ateliers de production 2027.",
    "results_summary": "",
    "sections": [
        {
            "title": "Appartenance",
            "questions": [
                q(
                    "sentiment",
                    "Vos membres se sentent-ils appartenir à un réseau ?",
                    "scale",
                    required=True,
                    scale_min=1,
                    scale_max=5,
                    scale_min_label="pas du tout",
                    scale_max_label="tout à fait",
                ),
                q(
                    "leviers",
                    "Quels leviers utilisez-vous pour le renforcer ?",
                    "multiple",
                    required=True,
                    choices=[
                        "Rencontres conviviales",
                        "Projets communs",
                        "Lieu partagé",
                        "Marque ou identité commune",
                        "Communication interne",
                    ],
                    other=True,
                    max_choices=3,
                ),
            ],
        },
        {
            "title": "Coopération",
            "questions": [
                q(
                    "exemple",
                    "Un exemple où l'appartenance a fait naître une coopération ?",
                    "long_text",
                ),
                q(
                    "atelier",
                    "Participerez-vous aux ateliers de production du 18 mars 2027 ?",
                    "yes_no",
                ),
            ],
        },
    ],
}

SURVEYS = [CLUSTERS_2015, TERRITORIES_2015, BELONGING_2027]
