/**
 * Demo content for a regional care network, written for this project. The main article retells the
 * facts of a real news item (the closing of a six-month learning network on learning culture) in our
 * own words, in Dutch and in English. Subscribers use example.org addresses only.
 */

export interface LocalizedText {
  nl: string;
  en: string;
}

export interface DemoTheme {
  slug: string;
  name: LocalizedText;
  description: LocalizedText;
}

export interface DemoArticle {
  slug: LocalizedText;
  title: LocalizedText;
  summary: LocalizedText;
  body: LocalizedText;
  coverAlt: LocalizedText;
  themes: string[];
  publicationDate: string;
  published: boolean;
}

export interface DemoResource {
  slug: string;
  kind: 'article' | 'book' | 'tool' | 'video' | 'report' | 'bundle';
  title: LocalizedText;
  description: LocalizedText;
  url?: string;
  themes: string[];
  /** For a bundle: the slugs of the resources it groups. */
  items?: string[];
  publicationDate: string;
}

export interface DemoSubscriber {
  email: string;
  name?: string;
  preferredLocale: 'nl' | 'en';
  themes: string[];
  state: 'pending' | 'active' | 'unsubscribed';
}

export const themes: DemoTheme[] = [
  {
    slug: 'meten-van-leercultuur',
    name: { nl: 'Meten van leercultuur', en: 'Measuring learning culture' },
    description: {
      nl: 'Hoe breng je in kaart hoe er in een team of organisatie geleerd wordt, en wat doe je met de uitkomst?',
      en: 'How do you map the way a team or organisation learns, and what do you do with the outcome?',
    },
  },
  {
    slug: 'ontwikkelen-van-ontwikkelen',
    name: { nl: 'Ontwikkelen van ontwikkelen', en: 'Developing development' },
    description: {
      nl: 'Leren organiseren zodat professionals blijven groeien, van nieuwe collega tot ervaren kracht.',
      en: 'Organising learning so that professionals keep growing, from new colleague to seasoned hand.',
    },
  },
  {
    slug: 'verandermanagement',
    name: { nl: 'Verandermanagement', en: 'Change management' },
    description: {
      nl: 'Veranderingen in de zorg vormgeven met de mensen die ze moeten dragen.',
      en: 'Shaping change in care together with the people who have to carry it.',
    },
  },
  {
    slug: 'technologie-in-de-lerende-organisatie',
    name: { nl: 'Technologie in een lerende organisatie', en: 'Technology in a learning organisation' },
    description: {
      nl: 'Digitale middelen die leren op de werkvloer ondersteunen in plaats van verstoren.',
      en: 'Digital tools that support learning on the job instead of getting in its way.',
    },
  },
];

const allThemes = themes.map((theme) => theme.slug);

export const articles: DemoArticle[] = [
  {
    slug: { nl: 'lerend-netwerk-leercultuur-afgerond', en: 'learning-culture-network-completed' },
    title: { nl: 'Lerend netwerk Leercultuur afgerond', en: 'Learning network on learning culture completed' },
    summary: {
      nl: 'Zes maanden lang werkten professionals uit twaalf zorgorganisaties met Actieleren aan hun eigen vraagstuk over leercultuur. Eind maart sloten ze feestelijk af; later dit jaar volgt een inspiratiebundel.',
      en: 'For six months, professionals from twelve care organisations used action learning to work on their own question about learning culture. They closed the network in late March; an inspiration bundle follows later this year.',
    },
    body: {
      nl: [
        'Verandering is in de zorg eerder regel dan uitzondering. Wie daarin overeind wil blijven, heeft een omgeving nodig waarin leren en ontwikkelen vanzelfsprekend zijn en gewaardeerd worden: voor mensen die net in het vak beginnen én voor wie er al jaren werkt. Zo bouwen organisaties, en de regio als geheel, aan een toekomstbestendige sector.',
        '## Zes maanden Actieleren',
        'Het afgelopen halfjaar namen professionals van twaalf zorgorganisaties deel aan het lerend netwerk Leercultuur. Ieder bracht een vraagstuk uit de eigen organisatie mee. Met de methode Actieleren gingen ze van probleem naar oplossing en vervolgens naar een experiment in de praktijk, gevoed door de kennis en ervaring van de hele groep. Dat leverde nieuwe inzichten en concreet handelingsperspectief op.',
        'Voorbeelden van vragen die op tafel lagen: hoe bied en borg je een positief leerklimaat? Hoe helpen we locatiemanagers een toekomstgerichte blik te ontwikkelen? En hoe sluiten we aan bij wat werkbegeleiders nodig hebben, in lijn met de strategische doelen van de organisatie?',
        "## Vier thema's",
        "De deelnemers kozen samen de thema's die ze verder wilden uitdiepen:",
        '- Meten van leercultuur\n- Ontwikkelen van ontwikkelen, met een bijdrage van een externe expert\n- Verandermanagement\n- Technologie in een lerende organisatie',
        'Over leercultuur is veel geschreven, maar de vertaling naar een team of organisatie blijkt in de praktijk weerbarstig. De belangrijkste les van de groep: zet kleine stappen in de goede richting en organiseer steun.',
        '## Een feestelijke afsluiting',
        'Eind maart presenteerde iedere deelnemer de eigen leerreis, om de anderen te inspireren en input op te halen voor het vervolg. De opbrengsten liepen uiteen. Sommigen merkten hoe sterk het werkt om de doelgroep zelf bij het vraagstuk te betrekken en startten dialoogsessies over leercultuur. Een ander zette een stevige evaluatie op. En één deelnemer vertelde eerlijk weer bij het begin te staan, omdat de probleemverkenning eerst scherper moest. Maar is dat terug bij af? Actieleren is juist een cyclisch proces.',
        'Werken aan een goede en veilige leercultuur houdt niet op; het vraagt blijvend aandacht.',
        '## Binnenkort: de inspiratiebundel',
        'Alle artikelen, boeken, kennis en inspiratie die in het netwerk voorbijkwamen, bundelen we later dit jaar in een inspiratiebundel voor iedereen. Abonneer je op de nieuwsbrief om hem niet te missen.',
      ].join('\n\n'),
      en: [
        'In care, change is the rule rather than the exception. Keeping up takes an environment in which learning and development are taken for granted and valued: for people who are just entering the profession and for those who have worked in it for years. That is how organisations, and the region as a whole, build a sector that is ready for the future.',
        '## Six months of action learning',
        'Over the past six months, professionals from twelve care organisations took part in the learning network on learning culture. Each brought a question from their own organisation. Using the action learning method, they moved from problem to solution and then to an experiment in practice, fed by the knowledge and experience of the whole group. That produced new insights and concrete room to act.',
        "Examples of the questions on the table: how do you offer and safeguard a positive learning climate? How do we help site managers develop a future-oriented outlook? And how do we meet the needs of on-the-job supervisors in line with the organisation's strategic goals?",
        '## Four themes',
        'Together the participants chose the themes they wanted to explore in depth:',
        '- Measuring learning culture\n- Developing development, with a contribution from an outside expert\n- Change management\n- Technology in a learning organisation',
        "Much has been written about learning culture, but translating it to a team or an organisation proves stubborn in practice. The group's main lesson: take small steps in the right direction and make sure you have support.",
        '## A festive close',
        'In late March every participant presented their own learning journey, to inspire the others and to gather input for what comes next. The results varied. Some found how well it works to involve the people concerned in the question itself, and started dialogue sessions about learning culture. Another set up a thorough evaluation. And one participant honestly admitted being back at the start, because the problem needed sharper exploration first. But is that really back to square one? Action learning is a cyclical process after all.',
        'Working on a good and safe learning culture never stops; it needs lasting attention.',
        '## Coming soon: the inspiration bundle',
        'All the articles, books, knowledge and inspiration shared in the network will be gathered later this year in an inspiration bundle for everyone. Subscribe to the newsletter so you do not miss it.',
      ].join('\n\n'),
    },
    coverAlt: {
      nl: 'Deelnemers van het lerend netwerk in gesprek rond een tafel vol notities',
      en: 'Learning network participants talking around a table covered in notes',
    },
    themes: allThemes,
    publicationDate: '2024-04-24',
    published: true,
  },
  {
    slug: { nl: 'actieleren-kleine-stappen', en: 'action-learning-small-steps' },
    title: { nl: 'Actieleren: kleine stappen, veel steun', en: 'Action learning: small steps, plenty of support' },
    summary: {
      nl: 'Wat is Actieleren en waarom werkt het zo goed voor vraagstukken over leercultuur? Een korte uitleg met voorbeelden uit het netwerk.',
      en: 'What is action learning and why does it suit questions about learning culture so well? A short explanation with examples from the network.',
    },
    body: {
      nl: 'Bij Actieleren werk je in een kleine groep aan een echt vraagstuk uit je eigen organisatie. Je verkent het probleem, bedenkt met de groep een oplossing en probeert die uit in een experiment. Daarna kijk je samen terug en begint de cyclus opnieuw.\n\nDe deelnemers van het lerend netwerk Leercultuur merkten dat juist die herhaling helpt: elke ronde maakt het vraagstuk scherper. Hun advies aan wie wil beginnen: houd de stappen klein en zorg dat er mensen zijn die je steunen.',
      en: 'In action learning you work in a small group on a real question from your own organisation. You explore the problem, design a solution with the group and try it out in an experiment. Then you look back together and the cycle starts again.\n\nThe participants of the learning culture network found that this repetition is what helps: every round sharpens the question. Their advice to anyone starting out: keep the steps small and make sure people are backing you.',
    },
    coverAlt: { nl: 'Een cirkel van pijlen: verkennen, oplossen, uitproberen, terugkijken', en: 'A circle of arrows: explore, solve, try out, look back' },
    themes: ['ontwikkelen-van-ontwikkelen', 'verandermanagement'],
    publicationDate: '2024-05-08',
    published: true,
  },
  {
    slug: { nl: 'leercultuur-meten-waar-begin-je', en: 'measuring-learning-culture-where-to-start' },
    title: { nl: 'Leercultuur meten: waar begin je?', en: 'Measuring learning culture: where do you start?' },
    summary: {
      nl: 'Drie vragen om mee te starten voordat je een vragenlijst uitzet, uit de ervaringen van het lerend netwerk.',
      en: "Three questions to start with before you send out a survey, drawn from the learning network's experience.",
    },
    body: {
      nl: 'Meten begint niet bij een vragenlijst maar bij de vraag wat je wilt weten en waarom. Wie gaat de uitkomst gebruiken? Welke verandering hoop je te zien? En hoe betrek je de mensen om wie het gaat bij het duiden van de resultaten?\n\nWie deze vragen vooraf beantwoordt, voorkomt dat een meting in een la verdwijnt.',
      en: 'Measuring does not start with a survey but with the question of what you want to know and why. Who is going to use the outcome? What change do you hope to see? And how do you involve the people concerned in making sense of the results?\n\nAnswering these questions beforehand keeps a measurement from ending up in a drawer.',
    },
    coverAlt: { nl: 'Een meetlint naast een notitieboek', en: 'A tape measure next to a notebook' },
    themes: ['meten-van-leercultuur'],
    publicationDate: '2024-06-12',
    published: true,
  },
  {
    slug: { nl: 'nieuw-lerend-netwerk-najaar', en: 'new-learning-network-autumn' },
    title: { nl: 'Nieuw lerend netwerk start in het najaar (concept)', en: 'New learning network starts in the autumn (draft)' },
    summary: {
      nl: 'Een concept: de aankondiging van een nieuw lerend netwerk, nog niet gepubliceerd.',
      en: 'A draft: the announcement of a new learning network, not yet published.',
    },
    body: {
      nl: 'Dit bericht is een concept en laat zien hoe redacteuren werken: pas na publiceren is het zichtbaar voor lezers en komt het in de nieuwsbrief.',
      en: 'This item is a draft and shows how editors work: only once published is it visible to readers and included in the newsletter.',
    },
    coverAlt: { nl: 'Een lege agenda voor het najaar', en: 'An empty diary for the autumn' },
    themes: ['verandermanagement'],
    publicationDate: '2024-09-01',
    published: false,
  },
];

export const resources: DemoResource[] = [
  {
    slug: 'checklist-leerklimaat-team',
    kind: 'tool',
    title: { nl: 'Checklist: het leerklimaat in je team', en: 'Checklist: the learning climate in your team' },
    description: {
      nl: 'Twaalf vragen om met je team het gesprek over leren op de werkvloer te openen.',
      en: 'Twelve questions to open the conversation about learning on the job with your team.',
    },
    url: 'https://example.org/netwerkpost/checklist-leerklimaat',
    themes: ['meten-van-leercultuur'],
    publicationDate: '2024-10-01',
  },
  {
    slug: 'handboek-actieleren',
    kind: 'book',
    title: { nl: 'Handboek Actieleren in de zorg', en: 'Handbook of action learning in care' },
    description: {
      nl: 'Een praktisch boek over de cyclus van probleem, oplossing en experiment, met oefeningen voor groepen.',
      en: 'A practical book on the cycle of problem, solution and experiment, with exercises for groups.',
    },
    url: 'https://example.org/netwerkpost/handboek-actieleren',
    themes: ['ontwikkelen-van-ontwikkelen'],
    publicationDate: '2024-10-01',
  },
  {
    slug: 'video-dialoogsessies',
    kind: 'video',
    title: { nl: 'Video: dialoogsessies over leercultuur', en: 'Video: dialogue sessions on learning culture' },
    description: {
      nl: 'Een deelnemer vertelt hoe dialoogsessies de doelgroep zelf bij het vraagstuk betrokken.',
      en: 'A participant explains how dialogue sessions involved the people concerned in the question.',
    },
    url: 'https://example.org/netwerkpost/video-dialoogsessies',
    themes: ['verandermanagement'],
    publicationDate: '2024-10-01',
  },
  {
    slug: 'artikel-technologie-leren-werkvloer',
    kind: 'article',
    title: { nl: 'Technologie die leren op de werkvloer helpt', en: 'Technology that helps learning on the job' },
    description: {
      nl: 'Welke digitale hulpmiddelen helpen professionals leren zonder extra last?',
      en: 'Which digital tools help professionals learn without adding to their load?',
    },
    url: 'https://example.org/netwerkpost/technologie-leren',
    themes: ['technologie-in-de-lerende-organisatie'],
    publicationDate: '2024-10-01',
  },
  {
    slug: 'rapport-opbrengsten-lerend-netwerk',
    kind: 'report',
    title: { nl: 'Rapport: opbrengsten van het lerend netwerk', en: 'Report: outcomes of the learning network' },
    description: {
      nl: 'De leerreizen van de deelnemers samengevat: vraagstuk, experiment en wat het opleverde.',
      en: "The participants' learning journeys summarised: question, experiment and what came of it.",
    },
    url: 'https://example.org/netwerkpost/rapport-opbrengsten',
    themes: allThemes,
    publicationDate: '2024-10-01',
  },
  {
    slug: 'inspiratiebundel-leercultuur',
    kind: 'bundle',
    title: { nl: 'Inspiratiebundel Leercultuur', en: 'Learning culture inspiration bundle' },
    description: {
      nl: 'Alle artikelen, boeken, tools en verhalen uit het lerend netwerk Leercultuur bij elkaar.',
      en: 'All the articles, books, tools and stories from the learning culture network in one place.',
    },
    themes: allThemes,
    items: [
      'checklist-leerklimaat-team',
      'handboek-actieleren',
      'video-dialoogsessies',
      'artikel-technologie-leren-werkvloer',
      'rapport-opbrengsten-lerend-netwerk',
    ],
    publicationDate: '2024-10-01',
  },
];

export interface DemoCampaign {
  /** Also the seed's key: a campaign with this title is not created again. */
  title: string;
  subject: LocalizedText;
  preheader: LocalizedText;
  /** Plain text, paragraphs separated by blank lines. */
  intro: LocalizedText;
  /** In order: the bundle leads, the rest become cards. */
  featured: Array<{ resource: string } | { article: string }>;
}

/** A draft campaign for the launch of the inspiratiebundel; audience everyone, no send time yet. */
export const campaigns: DemoCampaign[] = [
  {
    title: 'Lancering inspiratiebundel Leercultuur',
    subject: { nl: 'Lancering inspiratiebundel Leercultuur', en: 'Launch of the Leercultuur inspiration bundle' },
    preheader: {
      nl: 'Artikelen, boeken, tools en een video uit het lerend netwerk Leercultuur, nu voor iedereen bij elkaar.',
      en: 'Articles, books, tools and a video from the learning culture network, now in one place for everyone.',
    },
    intro: {
      nl: [
        'Een halfjaar lang werkten professionals van twaalf zorgorganisaties in het lerend netwerk Leercultuur aan een vraagstuk uit hun eigen organisatie. Wat ze onderweg lazen, gebruikten en zelf maakten, hebben we gebundeld. De inspiratiebundel Leercultuur is er, voor iedereen.',
        'Je vindt er een checklist voor je team, een handboek over Actieleren, een video over dialoogsessies en de opbrengsten van de deelnemers. Begin waar het voor jou schuurt. De les van de groep geldt ook hier: kleine stappen in de goede richting, en zoek steun.',
      ].join('\n\n'),
      en: [
        'For six months, professionals from twelve care organisations worked in the learning culture network on a question from their own organisation. What they read, used and made along the way is now gathered in one place: the learning culture inspiration bundle is here, for everyone.',
        "It holds a checklist for your team, a handbook on action learning, a video about dialogue sessions and what the participants learned. Start wherever it chafes for you. The group's lesson applies here too: small steps in the right direction, and find support.",
      ].join('\n\n'),
    },
    featured: [
      { resource: 'inspiratiebundel-leercultuur' },
      { resource: 'rapport-opbrengsten-lerend-netwerk' },
      { article: 'lerend-netwerk-leercultuur-afgerond' },
    ],
  },
];

/** The welcome mail a reader gets after confirming (the single type "Welkomstmail"): plain text, paragraphs separated by blank lines. */
export const welcomeMail: { subject: LocalizedText; text: LocalizedText } = {
  subject: { nl: 'Welkom bij de nieuwsbrief van het netwerk', en: "Welcome to the network's newsletter" },
  text: {
    nl: [
      "Fijn dat je erbij bent. Elke maand sturen we je het nieuws uit het netwerk: wat de lerende netwerken opleverden, nieuwe thema's en de materialen die deelnemers gebruikten.",
      "Je hoeft niet te wachten op de volgende editie: hieronder vind je de laatste nieuwsbrief en de nieuwste inspiratiebundel. Wil je alleen nieuws over bepaalde thema's? Dat kies je bij je voorkeuren.",
    ].join('\n\n'),
    en: [
      'Good to have you with us. Every month we send you the news from the network: what the learning networks achieved, new themes and the materials participants used.',
      'No need to wait for the next edition: below you will find the latest newsletter and the newest inspiration bundle. Only interested in some themes? Choose them in your preferences.',
    ].join('\n\n'),
  },
};

export const subscribers: DemoSubscriber[] = [
  { email: 'anna.jansen@example.org', name: 'Anna Jansen', preferredLocale: 'nl', themes: ['meten-van-leercultuur', 'verandermanagement'], state: 'active' },
  { email: 'pieter.devries@example.org', name: 'Pieter de Vries', preferredLocale: 'nl', themes: [], state: 'active' },
  { email: 'grace.okafor@example.org', name: 'Grace Okafor', preferredLocale: 'en', themes: ['technologie-in-de-lerende-organisatie'], state: 'active' },
  { email: 'tom.baker@example.org', preferredLocale: 'en', themes: [], state: 'pending' },
  { email: 'sanne.bakker@example.org', preferredLocale: 'nl', themes: [], state: 'unsubscribed' },
];

/** The consent text version the demo subscribers agreed to. */
export const DEMO_CONSENT_TEXT_VERSION = '2024-01';
