"""The programme's four mementos, as data.

Titles, partners, years and key questions follow the programme sheet: n°1 (France
Clusters and INRA, 2016) on creativity tools and innovation places, n°2 (ANPP, 2016) on
clusters and local territories with monographs of Pays and territorial poles, n°3 (ANPP)
and n°4 (France Clusters and INRA) planned on the 2017–2018 roadmap. The sections are
written for the portal; the case studies describe the fictitious demo structures.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

# The programme's partners, as directory entries: key: (name, kind, commune, website).
PARTNERS = {
    "france-clusters": ("France Clusters", "other_structure", "69123", "https://franceclusters.fr"),
    "anpp": ("ANPP – Territoires de projet", "other_structure", "75056", "https://anpp.fr"),
    "inra": ("INRA (aujourd'hui INRAE)", "research", "75056", "https://www.inrae.fr"),
}

MEMENTOS = [
    {
        "number": 1,
        "slug": "outils-de-creativite-et-lieux-dinnovation",
        "title": "Les outils de créativité pour développer des coopérations interentreprises sur les territoires",
        "subtitle": "Lieux d'innovation et services mutualisés des clusters et des territoires",
        "period": "2016",
        "partners": ["france-clusters", "inra"],
        "status": "published",
        "published_at": datetime(2017, 4, 3, 10, tzinfo=PARIS),
        "themes": ["lieux-innovation-creativite", "numerique", "competences-emploi"],
        "summary": (
            "De nombreux clusters et territoires concrétisent la mutualisation de leurs services "
            "dans des **lieux** : fab labs, tiers-lieux, pépinières, plateformes techniques. Ils "
            "y expérimentent de nouveaux modes d'innovation fondés sur le savoir-faire et le "
            "partage, et (re)territorialisent leur réseau.\n\n"
            "Ce mémento présente ces lieux d'innovation, les services qu'ils intègrent en "
            "priorité, la manière de mettre en place un site dédié et mutualisé, et les "
            "facteurs de réussite comme les écueils observés."
        ),
        "key_questions": [
            "Quelles formes prennent ces lieux d'innovation ?",
            "Quels services intègrent-ils en priorité ?",
            "Comment mettre en place un tel site, dédié et mutualisé ?",
            "Quels facteurs clés de succès et quels écueils à éviter (partenariats, financements…) ?",
        ],
        "practices": [
            "fab-lab-partage-entre-artisans-et-ingenieurs",
            "la-fabrique-dautun-tiers-lieu-de-services",
            "campus-rural-du-numerique-en-gare-de-saint-flour",
            "reseau-regional-des-tiers-lieux-ruraux",
        ],
        "workshops": ["Lieux d'innovation et services mutualisés"],
        "sections": [
            (
                "Des réseaux qui se dotent de lieux",
                "Un cluster est d'abord un réseau : des entreprises qui se connaissent, un "
                "animateur, des projets communs. Depuis quelques années, beaucoup franchissent "
                "une étape en ouvrant un **lieu physique** où ces liens se matérialisent.\n\n"
                "Ce passage au lieu traduit une maturité : le réseau a identifié des besoins "
                "partagés assez forts pour justifier des murs, des machines et une équipe. Il "
                "rend aussi le réseau visible aux yeux des élus, des habitants et des "
                "entreprises qui n'en font pas encore partie.",
            ),
            (
                "Quatre familles de lieux",
                "Les lieux observés se rangent en quatre familles, souvent combinées :\n\n"
                "| Famille | Ce qu'on y trouve | Public principal |\n"
                "| --- | --- | --- |\n"
                "| Fab lab, atelier partagé | machines de prototypage, accompagnement technique | artisans, PME, étudiants |\n"
                "| Tiers-lieu | bureaux partagés, salles, animation | indépendants, télétravailleurs, associations |\n"
                "| Pépinière, hôtel d'entreprises | locaux à loyer progressif, conseil | créateurs d'entreprise |\n"
                "| Plateforme technique | équipements de pointe, essais, laboratoire | PME industrielles, chercheurs |\n\n"
                "En milieu rural, un même bâtiment réunit souvent plusieurs familles : c'est "
                "la condition pour atteindre une fréquentation suffisante.",
            ),
            (
                "Les services mutualisés",
                "Les services que les entreprises citent en premier sont :\n\n"
                "1. l'accès à des **machines** qu'aucune n'achèterait seule ;\n"
                "2. des **salles de réunion et de formation** ;\n"
                "3. la **veille** et l'information sur les marchés ;\n"
                "4. la mise en relation avec les **laboratoires** et les écoles, souvent situés "
                "en ville.\n\n"
                "Ce dernier service fait le lien entre la campagne et la ville : le lieu devient "
                "la porte d'entrée des chercheurs sur le territoire.",
            ),
            (
                "Monter un lieu dédié et mutualisé",
                "Les porteurs de projet rencontrés insistent sur trois étapes.\n\n"
                "- **Partir des usages** : enquêter auprès des entreprises avant de dessiner "
                "le bâtiment.\n"
                "- **Réunir les financeurs tôt** : intercommunalité, Région, fonds européens "
                "(LEADER, mesure 16 du FEADER pour la coopération).\n"
                "- **Prévoir l'animation** : un lieu sans animateur se vide. Comptez au moins "
                "un mi-temps dès l'ouverture.\n\n"
                "Les écueils les plus cités : un bâtiment trop grand, des machines choisies "
                "sans les utilisateurs, un modèle économique qui repose sur une seule "
                "subvention.",
            ),
        ],
        "monographs": [
            {
                "title": "Le Fab lab des Monts, atelier partagé des artisans du bois",
                "entry": "fablab-ambert",
                "summary": "Un fab lab ouvert par un cluster du bois pour ses artisans, relié au laboratoire de Clermont-Ferrand.",
                "context": "Les menuisiers et charpentiers du Livradois-Forez voulaient prototyper sans investir chacun dans une fraiseuse numérique. Le Pôle Bois Montagne a porté le projet avec la communauté de communes.",
                "actions": "- Aménagement d'un ancien atelier de 400 m²\n- Achat d'une fraiseuse numérique, d'une découpe laser et d'une imprimante 3D grand format\n- Permanences hebdomadaires d'un ingénieur du laboratoire des matériaux biosourcés",
                "staff_time": "1 ETP d'animateur, 0,2 ETP d'ingénieur mis à disposition",
                "funding": "Communauté de communes (locaux), Région (équipements), LEADER (animation pendant trois ans).",
                "results": "Quarante entreprises adhérentes après deux ans ; douze prototypes de mobilier et de menuiserie ; deux projets de recherche avec le laboratoire.",
                "success_factors": "Un animateur issu du métier ; des horaires adaptés aux artisans (le soir et le samedi matin).",
                "pitfalls": "Sous-estimer la maintenance des machines : prévoir un budget annuel dès le départ.",
                "contacts": "Fab lab des Monts, Ambert — contact@fablab-ambert.exemple.fr",
                "practices": ["fab-lab-partage-entre-artisans-et-ingenieurs"],
            },
            {
                "title": "La Fabrique d'Autun, tiers-lieu de services",
                "entry": "tiers-lieu-autun",
                "summary": "Un tiers-lieu en centre-ville qui mutualise bureaux, salles et services entre indépendants, associations et PME du Morvan.",
                "context": "Autun perdait des commerces en centre-ville ; le PETR cherchait à attirer des actifs venus de Dijon.",
                "actions": "Réhabilitation d'une ancienne imprimerie ; espace de travail partagé ; conciergerie d'entreprises ; accueil de permanences de la CCI et de la Région.",
                "staff_time": "1,5 ETP",
                "funding": "PETR, Ville d'Autun, Région Bourgogne-Franche-Comté ; recettes propres à 45 % dès la troisième année.",
                "results": "Soixante usagers réguliers ; huit télétravailleurs dijonnais installés à Autun.",
                "success_factors": "Un lieu au cœur de la ville, près de la gare ; une programmation d'événements ouverte aux habitants.",
                "pitfalls": "La concurrence avec des locaux vacants moins chers : le service, pas le mètre carré, fait la différence.",
                "contacts": "La Fabrique d'Autun — contact@tiers-lieu-autun.exemple.fr",
                "practices": ["la-fabrique-dautun-tiers-lieu-de-services"],
            },
            {
                "title": "Le Campus rural du numérique de Saint-Flour",
                "entry": "campus-rural-numerique",
                "summary": "Une gare réhabilitée en campus : formation au numérique, bureaux et antenne d'un pôle de compétitivité.",
                "context": "Le Pays de Saint-Flour voulait retenir ses jeunes et offrir aux entreprises des compétences numériques introuvables sur place.",
                "actions": "Formations courtes au développement web ; accueil d'étudiants en alternance ; journées de rencontre avec le Pôle Images et Réseaux.",
                "staff_time": "2 ETP",
                "funding": "Pays, Région Auvergne-Rhône-Alpes, fonds européens (FEADER mesure 7 pour les services de base).",
                "results": "Trente personnes formées par an, dont la moitié embauchées dans le Cantal.",
                "success_factors": "Un partenaire urbain (le pôle) engagé dans la durée.",
                "pitfalls": "Dépendre d'un seul financeur pour les formations.",
                "contacts": "Campus rural du numérique — contact@campus-rural-numerique.exemple.fr",
                "practices": ["campus-rural-du-numerique-en-gare-de-saint-flour"],
            },
        ],
    },
    {
        "number": 2,
        "slug": "clusters-et-territoires-locaux",
        "title": "Clusters et territoires locaux",
        "subtitle": "Comment les Pays et les pôles territoriaux animent l'économie locale",
        "period": "2016",
        "partners": ["anpp"],
        "status": "published",
        "published_at": datetime(2017, 4, 3, 10, 30, tzinfo=PARIS),
        "themes": ["agroalimentaire", "bois-foret", "competences-emploi"],
        "summary": (
            "Les Pays et les pôles territoriaux agissent par nature en faveur du développement "
            "économique. Ce mémento étudie leurs formes d'animation, de mutualisation et de "
            "coopération avec le tissu des entreprises locales : pépinières, clusters, pôles "
            "territoriaux de coopération économique (PTCE).\n\n"
            "Il s'appuie sur des **monographies** de territoires, pour mieux saisir les leviers "
            "dont disposent les territoires, les coopérations possibles entre PME et grandes "
            "entreprises, les démarches de responsabilité sociétale, et les conséquences de la "
            "réforme territoriale (loi NOTRe)."
        ),
        "key_questions": [
            "Quelles formes prend l'animation économique d'un Pays ou d'un pôle territorial ?",
            "Avec quels moyens : temps de chargé de mission, réunions, financements ?",
            "Quelles coopérations entre PME, et avec les grandes entreprises ?",
            "Que change la loi NOTRe pour les territoires de projet ?",
        ],
        "practices": [
            "maison-des-services-et-conciergerie-dentreprises",
            "pepiniere-aeronautique-et-formation-en-alternance",
            "territoires-dindustrie-de-la-lunetterie",
        ],
        "workshops": [
            "Attirer et former les compétences",
            "Filières agroalimentaires de proximité",
        ],
        "sections": [
            (
                "L'animation économique, une mission de fait",
                "Aucun texte n'oblige un Pays à animer l'économie de son territoire. Pourtant, "
                "presque tous le font : un chargé de mission réunit les entreprises, monte des "
                "dossiers, fait le lien avec la Région et l'intercommunalité.\n\n"
                "Cette animation prend des formes variées selon la **maturité** de la filière : "
                "accompagnement d'une filière déjà structurée, ou émergence d'un projet encore "
                "en gestation.",
            ),
            (
                "Des moyens modestes mais décisifs",
                "Les monographies montrent qu'il faut peu de moyens pour beaucoup d'effet :\n\n"
                "- la mise à disposition d'une partie du temps d'un chargé de mission ;\n"
                "- l'organisation de réunions régulières entre chefs d'entreprise ;\n"
                "- un lieu, souvent une pépinière, qui sert de point de ralliement.\n\n"
                "Le facteur décisif reste la **durée** : les coopérations entre entreprises "
                "naissent après plusieurs années de rencontres.",
            ),
            (
                "Après la loi NOTRe",
                "La loi NOTRe de 2015 confie la compétence économique aux Régions et aux "
                "intercommunalités. Les Pays et PETR doivent donc se positionner en "
                "**facilitateurs** : ils ne financent plus directement les entreprises, mais "
                "ils restent les mieux placés pour les réunir à l'échelle d'un bassin de vie.",
            ),
        ],
        "monographs": [
            {
                "title": "Le Pays Sancerre Sologne et sa maison des services",
                "entry": "pays-sancerre-sologne",
                "summary": "Un Pays qui mutualise conciergerie, garde d'enfants et recrutement pour ses entreprises.",
                "context": "Les entreprises du Pays peinaient à recruter : les candidats venus d'Orléans renonçaient faute de services.",
                "actions": "Maison des services aux salariés ; conciergerie d'entreprises ; bourse de l'emploi partagée avec la pépinière d'Aubigny.",
                "staff_time": "0,5 ETP de chargée de mission",
                "funding": "Pays, entreprises adhérentes (cotisation), LEADER.",
                "results": "Vingt-cinq entreprises adhérentes ; des recrutements facilités pour les postes qualifiés.",
                "success_factors": "Un diagnostic partagé avec les chefs d'entreprise avant de lancer les services.",
                "pitfalls": "Proposer trop de services à la fois.",
                "contacts": "Pays Sancerre Sologne — contact@pays-sancerre-sologne.exemple.fr",
                "practices": ["maison-des-services-et-conciergerie-dentreprises"],
            },
            {
                "title": "Le Pays de Figeac, une pépinière au cœur de la Mecanic Vallée",
                "entry": "pays-figeac",
                "summary": "Une pépinière spécialisée et des formations en alternance pour la sous-traitance aéronautique.",
                "context": "Autour de grands donneurs d'ordre aéronautiques, des PME cherchaient des locaux et des compétences.",
                "actions": "Pépinière aéronautique ; formation en alternance avec le lycée ; visites d'entreprises pour les collégiens.",
                "staff_time": "1 ETP",
                "funding": "Communauté de communes, Région Occitanie, entreprises.",
                "results": "Quinze entreprises hébergées en dix ans, dont douze toujours installées sur le territoire.",
                "success_factors": "Le lien entre grandes entreprises et PME, entretenu par le Pays.",
                "pitfalls": "La dépendance à un seul secteur : le Pays diversifie aujourd'hui la pépinière.",
                "contacts": "Pays de Figeac — contact@pays-figeac.exemple.fr",
                "practices": ["pepiniere-aeronautique-et-formation-en-alternance"],
            },
            {
                "title": "Le Pays du Haut-Jura, territoire d'industrie de la lunetterie",
                "entry": "pays-haut-jura",
                "summary": "Un Pays qui fédère les lunetiers, la plasturgie et les microtechniques autour d'une stratégie commune.",
                "context": "La lunetterie jurassienne, concurrencée, devait se réinventer.",
                "actions": "Club d'entreprises animé par le Pays ; projet de recyclage des plastiques avec le cluster de la plasturgie ; partenariat avec le pôle microtechniques de Besançon.",
                "staff_time": "0,8 ETP",
                "funding": "Pays, Région, fonds européens.",
                "results": "Un projet collectif de recyclage ; de nouveaux débouchés dans le médical.",
                "success_factors": "Une identité industrielle forte, revendiquée par les élus.",
                "pitfalls": "L'essoufflement des bénévoles du club : une animation salariée est indispensable.",
                "contacts": "Pays du Haut-Jura — contact@pays-haut-jura.exemple.fr",
                "practices": [
                    "territoires-dindustrie-de-la-lunetterie",
                    "recyclage-des-plastiques-de-lunetterie",
                ],
            },
        ],
    },
    {
        "number": 3,
        "slug": "sentiment-dappartenance",
        "title": "Comment développer le « sentiment d'appartenance » à un réseau, à un territoire ?",
        "subtitle": "",
        "period": "2017–2018",
        "partners": ["anpp"],
        "status": "planned",
        "published_at": None,
        "themes": ["lieux-innovation-creativite"],
        "summary": (
            "Ce mémento, prévu dans la feuille de route 2017–2018, étudiera ce qui fait qu'une "
            "entreprise se sent membre d'un réseau et d'un territoire, et comment les "
            "animateurs peuvent cultiver ce sentiment."
        ),
        "key_questions": [
            "Qu'est-ce qui fait qu'une entreprise se sent appartenir à un réseau ?",
            "Quels leviers les animateurs de Pays et de clusters peuvent-ils actionner ?",
        ],
        "practices": [],
        "workshops": [],
        "sections": [],
        "monographs": [],
    },
    {
        "number": 4,
        "slug": "nouvelles-approches-economie-emploi",
        "title": "Les actions à mener pour développer de nouvelles approches de l'économie et de l'emploi",
        "subtitle": "",
        "period": "2017–2018",
        "partners": ["france-clusters", "inra"],
        "status": "planned",
        "published_at": None,
        "themes": ["competences-emploi", "economie-circulaire"],
        "summary": (
            "Prévu dans la feuille de route 2017–2018, ce mémento recensera les actions qui "
            "renouvellent l'approche de l'économie et de l'emploi dans les territoires : "
            "groupements d'employeurs, économie circulaire, coopératives."
        ),
        "key_questions": [
            "Quelles actions font émerger de nouveaux emplois dans les territoires ruraux ?",
            "Comment clusters et territoires peuvent-ils les porter ensemble ?",
        ],
        "practices": [],
        "workshops": [],
        "sections": [],
        "monographs": [],
    },
]
