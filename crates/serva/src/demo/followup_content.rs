//! The follow-up content of the VSS interim report of 31 August 2019, as Serva's demo holds
//! it: goals and their assessments, indicators by gender, strategic assignments, internal
//! control, and the narrative texts of each section. Figures that Serva computes (finance
//! totals, case and call statistics) are not here; they come from generated data.

use serva_domain::followup::{
    Assessment, AssignmentStatus, ControlResult, Direction, Gender, GoalArea,
};

/// A board goal (nämndmål) with its assessment per 31 August 2019.
pub struct DemoGoal {
    pub area: GoalArea,
    /// Kommunövergripande mål.
    pub municipal_goal: &'static str,
    /// The nämndmål itself, e.g. "Kostnadseffektiv verksamhet".
    pub name: &'static str,
    /// The goal's description, e.g. "Optimera verksamhetens nytta i relation till kostnaderna".
    pub description: &'static str,
    pub assessment: Assessment,
    /// The analysis text, verbatim from the report (paragraphs separated by "\n\n").
    pub analysis: &'static str,
}

/// One indicator (nämndindikator) with its values.
pub struct DemoIndicator {
    pub area: GoalArea,
    pub municipal_goal: &'static str,
    /// The board goal the indicator supports (must equal a `DemoGoal::name`).
    pub board_goal: &'static str,
    pub name: &'static str,
    /// Unit of measure: "%", "index", "kvot" …
    pub unit: &'static str,
    pub direction: Direction,
    /// Values: (gender, period, value). Periods: "2017", "2018", "2019-08". A value the report
    /// marks "I.U." (ingen uppgift) or "-" is simply absent.
    pub values: &'static [(Gender, &'static str, f64)],
    /// Full-year targets (målvärde) per gender, where the report has one.
    pub targets: &'static [(Gender, f64)],
}

/// A strategic development assignment (strategiskt utvecklingsuppdrag).
pub struct DemoAssignment {
    /// true: "Kommungemensamma", false: "Tillkommande".
    pub common: bool,
    pub text: &'static str,
    pub status: AssignmentStatus,
    pub comment: &'static str,
}

/// A control point of the internal control plan with its result for 2019.
pub struct DemoControl {
    /// Unit code: EKS, HRS, KL, LKDATA, ARKIV, or VSS for administration-wide points.
    pub unit: &'static str,
    pub name: &'static str,
    pub risk: &'static str,
    pub method: &'static str,
    /// e.g. "Månadsvis", "Två gånger per år", "Årligen".
    pub frequency: &'static str,
    /// The owner's role, e.g. "Enhetschef Ekonomiservice".
    pub owner: &'static str,
    pub result: ControlResult,
    pub findings: &'static str,
    pub actions: &'static str,
    pub carries_over: bool,
}

/// A narrative text of a report section.
pub struct DemoNarrative {
    /// Section key: "uppdrag", "bedomning", "samlad_analys", "ekonomi_analys",
    /// "ekonomi_enheter", "investeringar_analys", "internkontroll", "objektsplan",
    /// "lokalforsorjning", "investeringsplan", "upphandlingsplan", "kompetensforsorjning",
    /// "verksamhet_analys".
    pub section: &'static str,
    pub title: &'static str,
    /// Verbatim text from the report, paragraphs separated by "\n\n".
    pub text: &'static str,
}

/// An item of "Viktiga beslut och händelser".
pub struct DemoEvent {
    /// true for a decision (Beslut), false for an event (Händelse).
    pub decision: bool,
    /// The item's text; sub-points as lines starting with "– ".
    pub text: &'static str,
}

/// The 11 board goals (nämndmål) of "Målredovisning", in the report's order.
pub static GOALS: &[DemoGoal] = &[
    DemoGoal {
        area: GoalArea::Economy,
        municipal_goal: "En kostnadseffektiv och välskött kommun",
        name: "Kostnadseffektiv verksamhet",
        description: "Optimera verksamhetens nytta i relation till kostnaderna",
        assessment: Assessment::PartlyMet,
        analysis: "VSS driver i dag en ändamålsenlig verksamhet i enlighet med förvaltningens uppdrag. I dagsläget optimeras de ingående verksamheterna individuellt. Nu skapas förutsättningar för att förvaltningen i framtiden ska kunna utveckla sin nytta också genom ett mer kollektivt och gemensamt agerande. Det sker bland annat i det gemensamma tjänsteutvecklingsprojektet som startas under hösten 2019.",
    },
    DemoGoal {
        area: GoalArea::Economy,
        municipal_goal: "En kostnadseffektiv och välskött kommun",
        name: "Effektiva inköp",
        description: "Effektivisera inköpsprocessen med it som stöd",
        assessment: Assessment::PartlyMet,
        analysis: "Respektive enhet hanterar sina inköp enligt kommunens riktlinjer. I sitt uppdrag verkar Ekonomiservice för ett bredare användande inom Linköpings kommun. Nämndmålet förväntas uppnås vid årets slut.",
    },
    DemoGoal {
        area: GoalArea::Economy,
        municipal_goal: "En kostnadseffektiv och välskött kommun",
        name: "God ekonomisk kontroll",
        description: "Goda resultat och stabil ekonomi",
        assessment: Assessment::Met,
        analysis: "VSS har en välfungerade uppföljningsmetodik. Förvaltningen har redan skapat goda rutiner genom ett nära samarbete mellan verksamhetschefer och förvaltningens stabsfunktioner. Avvikelser i verksamhet såväl som inom ekonomi hanteras förebyggande och med tydliga handlingsplaner.",
    },
    DemoGoal {
        area: GoalArea::Economy,
        municipal_goal: "En kostnadseffektiv och välskött kommun",
        name: "God finansiell ställning",
        description: "Finansieringen av välfärden skjuts inte till kommande generationer",
        assessment: Assessment::Met,
        analysis: "Förvaltningen har idag en god ekonomisk ställning och även en balans vad gäller löpande drift och möjligheter till framtida utveckling. Som tidigare nämnts i rapporten har verksamheten Ekonomiservice en mer problematisk bild som kommer kräva insatser så inte verksamhetsresultatet blir lidande.",
    },
    DemoGoal {
        area: GoalArea::Operations,
        municipal_goal: "En effektiv och tillgänglig service",
        name: "God tillgänglighet",
        // The report's heading is cut off after "digital" in the source PDF.
        description: "Professionell och tillgänglig service. Tydlig och väl använd digital",
        assessment: Assessment::Met,
        analysis: "VSS har flera olika kundingångar. Samtliga kundingångar har en tillgänglighet på eller över mål. Kundnöjdheten är god. I samtliga ingångar erbjuder vi digitala alternativ som kontakt via mail, webbformulär och chatt.",
    },
    DemoGoal {
        area: GoalArea::Operations,
        municipal_goal: "En effektiv och tillgänglig service",
        name: "Kostnadseffektivt och ändamålsenligt IT-stöd",
        description: "IT-systemen stödjer verksamheterna och upplevs prisvärt",
        assessment: Assessment::PartlyMet,
        analysis: "VSS har IT stöd i mer eller mindre samtliga processer. I dagsläget har förvaltningen ingen systematisk utvärdering av sina IT- stöd. Det finns dock en stor medvetenhet om vikten av utveckling av nuvarande system. Det finns goda exempel på tjänsteprocessutveckling med IT – stöd, här nämns några:\n\n– Rekrytering av nya medarbetare sker med ett effektivt stöd med systemet ReachMee. Tjänsteprocessen är integrerat med systemet och där sker bland annat vakansprövning, alla handlingar finns tillgängliga och där sker även bedömning och kategoriseringar av kandidaterna\n– Ärendehanteringssystemet, Flexite, som finns hos Kontakt Linköping och HR Direkt stödjer hantering av ärenden och ger bra uppföljning som sedan kan användas för verksamhetsuppföljning",
    },
    DemoGoal {
        area: GoalArea::Operations,
        municipal_goal: "En effektiv och tillgänglig service",
        name: "Hög digitaliseringsgrad",
        description: "Verksamhetsutveckling enligt principen digitalt först",
        assessment: Assessment::PartlyMet,
        analysis: "I samtlig verksamhetsutveckling finns övervägandet om digitalisering med. Goda exempel är blankettfritt och exempelvis Kontakt Linköping insatser i arbetet med ”blankettfri skolstart”. Viktigt att konstatera är dock att utveckling av medborgarservice inte bara behöver vara digital, utan kan vara av annan typ. Ett exempel är nu de förbättringar som görs tillsammans med Utbildningsförvaltning kring förbättrad bemanning under sommaren och möjlighet för medarbetare i Kontakt Linköping att att bistå vid fakturahantering gentemot medborgarna.",
    },
    DemoGoal {
        area: GoalArea::Operations,
        municipal_goal: "En effektiv och tillgänglig service",
        name: "Goda verksamhetsresultat",
        description: "Systematisk uppföljning och analys av verksamhetens resultat",
        assessment: Assessment::PartlyMet,
        analysis: "VSS verksamhets följs delvis upp systematiskt, här finns dock en förbättringspotential i vissa verksamheter och tjänsteprocesser. Frågan är prioriterad under 2020 och kommer förbättras över tid.",
    },
    DemoGoal {
        area: GoalArea::Staff,
        municipal_goal: "Attraktiv arbetsgivare",
        name: "Goda arbetsplatser",
        description: "Varje medarbetare känner arbetsglädje och stolthet sam har inflytande och möjlighet att utvecklas",
        assessment: Assessment::PartlyMet,
        analysis: "Arbetet med att implementera förvaltningens nya organisation med tydliga uppdrag för respektive enhet pågår. Information om förvaltningen på Linweb uppdateras. Ett arbete har även påbörjats med innebörden av att vara en inkluderande arbetsplats och vi ser över rutiner för det systematiska arbetsmiljöarbetet. Förvaltningens chefer har bland annat fått information om organisatorisk och social arbetsmiljö inklusive material gällande kränkande särbehandling att arbeta med i medarbetargrupper.\n\nEtt förvaltningsövergripande projekt kring tjänsteutveckling har påbörjats som kan ses vara en del av arbetet kring idé- och innovation som främjar ett processorienterat arbetssätt för effektiva arbetsrutiner.",
    },
    DemoGoal {
        area: GoalArea::Staff,
        municipal_goal: "Attraktiv arbetsgivare",
        name: "Framgångsrikt chef- och ledarskap",
        description: "Varje chef leder och utvecklar sina verksamheter mot uppsatta mål med mod, engagemang och mänsklighet",
        assessment: Assessment::PartlyMet,
        analysis: "Inom förvaltningen pågår arbete med projektet Chefers förutsättningar, som bland annat resulterat i ett antal utvecklingsaktiviteter för ett fortsatt arbete inom förvaltningen.",
    },
    DemoGoal {
        area: GoalArea::Staff,
        municipal_goal: "God och hållbar kompetensförsörjning",
        name: "Nya vägar för (tryggad) kompetensförsörjning",
        description: "Utveckling av den digitala medarbetaren, ett ansvarstagande för ett livslångt lärande",
        assessment: Assessment::PartlyMet,
        analysis: "En rutin för arbetsmarknadsanställningar har tagits fram som aktivitet för åtgärder i linje med kommunens arbetsmarknadsåtagande, bland annat för att öka förutsättningarna för en breddad rekrytering. För att utveckla insatser enligt ”employer branding livscykeln” har en digital förvaltningsövergripande introduktion implementerats samt en enkät för avgångssamtal för att säkerställa professionella avslut.",
    },
];

/// The board indicators (nämndindikatorer) of Bilaga 2, with values by gender.
pub static INDICATORS: &[DemoIndicator] = &[
    DemoIndicator {
        area: GoalArea::Staff,
        municipal_goal: "Attraktiv arbetsgivare",
        board_goal: "Goda arbetsplatser",
        name: "Total sjukfrånvaro",
        unit: "%",
        direction: Direction::Lower,
        values: &[
            (Gender::Total, "2017", 4.3),
            (Gender::Total, "2018", 4.0),
            (Gender::Total, "2019-08", 2.5),
            (Gender::Men, "2017", 3.6),
            (Gender::Men, "2018", 3.7),
            (Gender::Men, "2019-08", 1.5),
            (Gender::Women, "2017", 4.9),
            (Gender::Women, "2018", 4.3),
            (Gender::Women, "2019-08", 3.3),
        ],
        targets: &[
            (Gender::Total, 3.5),
            (Gender::Men, 3.0),
            (Gender::Women, 3.5),
        ],
    },
    DemoIndicator {
        area: GoalArea::Staff,
        municipal_goal: "Attraktiv arbetsgivare",
        board_goal: "Goda arbetsplatser",
        name: "Andel heltidsanställningar",
        unit: "%",
        direction: Direction::Higher,
        values: &[
            (Gender::Total, "2017", 97.9),
            (Gender::Total, "2018", 98.8),
            (Gender::Total, "2019-08", 98.9),
            (Gender::Men, "2017", 100.0),
            (Gender::Men, "2018", 100.0),
            (Gender::Men, "2019-08", 100.0),
            (Gender::Women, "2017", 96.0),
            (Gender::Women, "2018", 97.6),
            (Gender::Women, "2019-08", 98.1),
        ],
        targets: &[
            (Gender::Total, 97.5),
            (Gender::Men, 100.0),
            (Gender::Women, 96.0),
        ],
    },
    DemoIndicator {
        area: GoalArea::Staff,
        municipal_goal: "Attraktiv arbetsgivare",
        board_goal: "Goda arbetsplatser",
        name: "Attraktiv arbetsgivarindex (AVI)",
        unit: "index",
        direction: Direction::Higher,
        values: &[],
        targets: &[],
    },
    DemoIndicator {
        area: GoalArea::Staff,
        municipal_goal: "Attraktiv arbetsgivare",
        board_goal: "Goda arbetsplatser",
        name: "Hållbart medarbetarengagemang (HME)",
        unit: "index",
        direction: Direction::Higher,
        values: &[
            (Gender::Total, "2018", 73.0),
            (Gender::Total, "2019-08", 78.0),
        ],
        targets: &[(Gender::Total, 80.0)],
    },
    DemoIndicator {
        area: GoalArea::Staff,
        municipal_goal: "Attraktiv arbetsgivare",
        board_goal: "Framgångsrikt chef- och ledarskap",
        name: "Chefsomsättning (andel tillsvidare chefer som har börjat eller slutat, %)",
        unit: "%",
        direction: Direction::Lower,
        values: &[(Gender::Total, "2018", 7.0)],
        targets: &[(Gender::Total, 8.0)],
    },
    DemoIndicator {
        area: GoalArea::Staff,
        municipal_goal: "Attraktiv arbetsgivare",
        board_goal: "Framgångsrikt chef- och ledarskap",
        name: "Chefers sjukfrånvaro",
        unit: "%",
        direction: Direction::Lower,
        values: &[
            (Gender::Total, "2017", 0.35),
            (Gender::Total, "2018", 0.39),
            (Gender::Total, "2019-08", 1.8),
            (Gender::Men, "2017", 0.16),
            (Gender::Men, "2018", 0.19),
            (Gender::Men, "2019-08", 3.9),
            (Gender::Women, "2017", 0.6),
            (Gender::Women, "2018", 0.59),
            (Gender::Women, "2019-08", 0.4),
        ],
        targets: &[(Gender::Total, 1.3)],
    },
    DemoIndicator {
        area: GoalArea::Staff,
        municipal_goal: "God och hållbar kompetensförsörjning",
        board_goal: "Nya vägar för (tryggad) kompetensförsörjning",
        name: "Extern personalomsättning",
        unit: "%",
        direction: Direction::Lower,
        values: &[
            (Gender::Total, "2017", 6.2),
            (Gender::Total, "2018", 6.9),
            (Gender::Total, "2019-08", 1.7),
            (Gender::Men, "2017", 4.2),
            (Gender::Men, "2018", 8.0),
            (Gender::Men, "2019-08", 1.3),
            (Gender::Women, "2017", 8.0),
            (Gender::Women, "2018", 4.7),
            (Gender::Women, "2019-08", 1.9),
        ],
        targets: &[(Gender::Total, 5.5)],
    },
    DemoIndicator {
        area: GoalArea::Staff,
        municipal_goal: "God och hållbar kompetensförsörjning",
        board_goal: "Nya vägar för (tryggad) kompetensförsörjning",
        name: "Mertid övertid",
        unit: "%",
        direction: Direction::Lower,
        values: &[
            (Gender::Total, "2017", 0.2),
            (Gender::Total, "2018", 0.3),
            (Gender::Total, "2019-08", 0.1),
            (Gender::Men, "2017", 0.4),
            (Gender::Men, "2018", 0.5),
            (Gender::Men, "2019-08", 0.3),
            (Gender::Women, "2017", 0.1),
            (Gender::Women, "2018", 0.1),
        ],
        targets: &[(Gender::Total, 0.15)],
    },
    DemoIndicator {
        area: GoalArea::Staff,
        municipal_goal: "God och hållbar kompetensförsörjning",
        board_goal: "Nya vägar för (tryggad) kompetensförsörjning",
        name: "Balanstal chefer",
        unit: "kvot",
        direction: Direction::Higher,
        values: &[
            (Gender::Total, "2017", 0.73),
            (Gender::Total, "2018", 1.03),
            (Gender::Total, "2019-08", 1.04),
            (Gender::Women, "2017", 1.0),
            (Gender::Women, "2018", 1.0),
            (Gender::Women, "2019-08", 1.04),
        ],
        targets: &[(Gender::Total, 0.96)],
    },
    DemoIndicator {
        area: GoalArea::Staff,
        municipal_goal: "God och hållbar kompetensförsörjning",
        board_goal: "Nya vägar för (tryggad) kompetensförsörjning",
        name: "Chefer med utomnordisk bakgrund",
        unit: "%",
        direction: Direction::Higher,
        values: &[],
        targets: &[],
    },
];

/// The strategic development assignments (strategiska utvecklingsuppdrag) and their status.
pub static ASSIGNMENTS: &[DemoAssignment] = &[
    DemoAssignment {
        common: true,
        text: "Samtliga nämnder ges i uppdrag att vidta åtgärder för att tillvarata digitaliseringens möjligheter",
        status: AssignmentStatus::ActionsTaken,
        comment: "Samtliga verksamheter jobbar med att utveckla tjänsteprocesser med olika typer av IT- stöd. Förvaltningen behöver hela tiden utvecklas i denna fråga",
    },
    DemoAssignment {
        common: true,
        text: "Uppdrag till samtliga nämnder att redovisa en fördjupad analys av vilket stöd som behövs för att klara nya vägar till kompetensförsörjning med fokus på digitalisering, och nya sätt att organisera arbetet.",
        status: AssignmentStatus::Done,
        comment: "",
    },
    DemoAssignment {
        common: false,
        text: "Uppdrag till samtliga nämnder att öka takten i digitaliseringsarbetet.",
        status: AssignmentStatus::ActionsTaken,
        comment: "Förvaltningen driver utvecklingsarbete med digitalisering som grund.",
    },
    DemoAssignment {
        common: false,
        text: "Uppdrag till samtliga nämnder att se över sina avgifter i relation till privatpersoner och företag för ökad transparens, likställighet och koppling mellan avgift och utfört arbete.",
        status: AssignmentStatus::NotApplicable,
        comment: "",
    },
    DemoAssignment {
        common: false,
        text: "Uppdrag till samtliga nämnder att fasa ut engångsartiklar i plast i kommunens verksamhet till år 2020, genom att inte förlänga eller teckna nya inköpsavtal för sådana artiklar och ersätta med alternativ av biomassa.",
        status: AssignmentStatus::NotApplicable,
        comment: "",
    },
];

/// The control points of the internal control plan (internkontrollplan) with results for 2019.
/// `findings` and `actions` follow the report's wording; `risk`, `method`, `frequency` and
/// `owner` are demo labels (the report does not state them).
pub static CONTROLS: &[DemoControl] = &[
    DemoControl {
        unit: "EKS",
        name: "Leverantörsförändringar i Agresso",
        risk: "Felaktiga utbetalningar till leverantörer",
        method: "Stickprov av ändringar i leverantörsregistret",
        frequency: "Månadsvis",
        owner: "Enhetschef Ekonomiservice",
        result: ControlResult::Satisfactory,
        findings: "Ekonomiservice kontroller beträffande leverantörsförändringar i Agresso visar att rutinerna fungerar bra och att betalinfon till leverantörerna är korrekt.",
        actions: "",
        carries_over: false,
    },
    DemoControl {
        unit: "EKS",
        name: "Säkerhetsparametrar i Agresso",
        risk: "Obehöriga ändringar av systemets säkerhetsinställningar",
        method: "Genomgång av loggade ändringar av säkerhetsparametrar",
        frequency: "Två gånger per år",
        owner: "Enhetschef Ekonomiservice",
        result: ControlResult::Satisfactory,
        findings: "När det gäller kontrollen kring säkerhetsparametrar i Agresso har inga ändringar gjorts under 2019 utan förändringar har endast varit kopplat till uppgradering av ekonomisystemet.",
        actions: "",
        carries_over: false,
    },
    DemoControl {
        unit: "EKS",
        name: "Hantering av beslutsattester",
        risk: "Attest utan giltigt delegationsbeslut",
        method: "Stickprov av beslutsattestansökningar mot delegationsbeslut",
        frequency: "Kvartalsvis",
        owner: "Enhetschef Ekonomiservice",
        result: ControlResult::PartlySatisfactory,
        findings: "Resultatet bedöms som delvis tillfredställande beroende på att i vissa fall saknas delegaters namnteckning på beslutsattestansökan, samt att kontroller försvåras då behörighet saknas till andra nämnders diarier där delegationsbeslut kring beslutsattester ska registreras.",
        actions: "",
        carries_over: false,
    },
    DemoControl {
        unit: "HRS",
        name: "Hantering av inköpskort",
        risk: "Inköp utan underlag eller utanför ramavtal",
        method: "Stickprov av kortköp mot kvitton och ramavtal",
        frequency: "Kvartalsvis",
        owner: "Enhetschef HR-service",
        result: ControlResult::PartlySatisfactory,
        findings: "Kontrollen av HR service hantering av inköpskort visar att vissa brister finns beträffande förekomsten av kvitton samt inköp från icke ramavtalsleverantörer där sådana finns.",
        actions: "Kontrollmomentet får vara kvar oförändrat till 2020.",
        carries_over: true,
    },
    DemoControl {
        unit: "HRS",
        name: "Tillträde till verksamhetens lokaler",
        risk: "Obehöriga får tillgång till lokaler och personuppgifter",
        method: "Genomgång av rutiner för tillträde och passerkort",
        frequency: "Två gånger per år",
        owner: "Enhetschef HR-service",
        result: ControlResult::PartlySatisfactory,
        findings: "Efter ett tillbud där obehörig person tagit sig in i verksamhetens lokaler har rutiner setts över och klargörs för befintliga och nya medarbetare.",
        actions: "Rutinerna klargörs för befintliga och nya medarbetare. Kontrollmomentet får vara kvar oförändrat till 2020.",
        carries_over: true,
    },
    DemoControl {
        unit: "HRS",
        name: "Signering i Heroma",
        risk: "Felaktiga löneutbetalningar",
        method: "Kontroll av att underlag signerats i Heroma",
        frequency: "Månadsvis",
        owner: "Enhetschef HR-service",
        result: ControlResult::Satisfactory,
        findings: "Rutinen för signering i Heroma fungerar bra.",
        actions: "Kontrollmomentet får vara kvar oförändrat till 2020.",
        carries_over: true,
    },
    DemoControl {
        unit: "HRS",
        name: "Underlag för flextidsstämplingar",
        risk: "Felaktig arbetstid och ersättning",
        method: "Stickprov av flextidsunderlag",
        frequency: "Kvartalsvis",
        owner: "Enhetschef HR-service",
        result: ControlResult::PartlySatisfactory,
        findings: "Kontroll av underlag för flextidsstämplingar kräver en ny rutin som införs där enhetschef signerar.",
        actions: "En ny rutin införs där enhetschef signerar. Kontrollmomentet får vara kvar oförändrat till 2020.",
        carries_over: true,
    },
    DemoControl {
        unit: "KL",
        name: "Belastningsmönster",
        risk: "Bristande tillgänglighet vid hög belastning",
        method: "Mätning av registrerade ärenden per kanal och tidpunkt",
        frequency: "Månadsvis",
        owner: "Enhetschef Kontakt Linköping",
        result: ControlResult::Satisfactory,
        findings: "Kontakt Linköping har utfört planerade mätningar beträffande belastningsmönster. För mätperioden april t o m augusti har 105 068 ärenden registrerats, varav merparten, 77 % är via telefon.",
        actions: "",
        carries_over: false,
    },
    DemoControl {
        unit: "KL",
        name: "Kundnöjdhet",
        risk: "Låg kundnöjdhet och förtroende för kommunens service",
        method: "Kundenkät efter avslutat ärende",
        frequency: "Kvartalsvis",
        owner: "Enhetschef Kontakt Linköping",
        result: ControlResult::Satisfactory,
        findings: "Kundnöjdhet har mätts genom 2 350 enkäter och högst resultat erhålls för engagemang (82 %) och generell nöjdhet (77 %). Lägst procent har uppklarning (66 %).",
        actions: "",
        carries_over: false,
    },
    DemoControl {
        unit: "LKDATA",
        name: "Change- och releaseprocess",
        risk: "Okontrollerade förändringar orsakar driftstörningar",
        method: "Stickprov av genomförda förändringar mot registrerade changeärenden",
        frequency: "Kvartalsvis",
        owner: "Enhetschef LKDATA",
        result: ControlResult::PartlySatisfactory,
        findings: "Rutiner för change- och releaseprocesserna kommer att ses över hösten 2019. Rutin mellan PM3 och Change är under framtagande. Vissa förändringsarbeten sker utanför Changeprocessen då den upplevs som administrativt tung och inte ger det stöd som önskas.",
        actions: "Rutinerna för change- och releaseprocesserna ses över hösten 2019. Momentet är fortfarande aktuellt och får kvarstå till kommande års internkontroll.",
        carries_over: true,
    },
    DemoControl {
        unit: "LKDATA",
        name: "Ekonomi kopplat till PM3",
        risk: "Otydlig kostnadsfördelning mellan objekt och förvaltningar",
        method: "Genomgång av interna ekonomirutiner mot PM3-modellen",
        frequency: "Två gånger per år",
        owner: "Enhetschef LKDATA",
        result: ControlResult::PartlySatisfactory,
        findings: "Enhetens interna rutiner beträffande ekonomi kopplat till PM3 behöver revideras och anpassas till den kommungemensamma lösningen som är under framtagande.",
        actions: "Rutinerna revideras och anpassas till den kommungemensamma lösningen. Momentet får kvarstå till kommande års internkontroll.",
        carries_over: true,
    },
    DemoControl {
        unit: "LKDATA",
        name: "Leverantörshantering",
        risk: "Avtal och leveranser följs inte upp",
        method: "Uppföljning av leverantörsavtal och leveranser",
        frequency: "Två gånger per år",
        owner: "Enhetschef LKDATA",
        result: ControlResult::PartlySatisfactory,
        findings: "När det gäller leverantörshantering sker en löpande bevakning under året. Uppföljning görs två gånger per år och visar att processen fungerar. Volymen avtal inom PM3 är dock fortfarande begränsad. Det är oklart vad verksamheten själva ska hantera och vad som ska hanteras hos LKDATA.",
        actions: "Momentet får kvarstå till kommande års internkontroll.",
        carries_over: true,
    },
    DemoControl {
        unit: "LKDATA",
        name: "Applikationsförvaltning",
        risk: "Otydligt ansvar för förvaltning av verksamhetssystem",
        method: "Genomgång av rutiner och ansvarsfördelning",
        frequency: "Två gånger per år",
        owner: "Enhetschef LKDATA",
        result: ControlResult::PartlySatisfactory,
        findings: "Ansvarsområdet applikationsförvaltning är nytt område och verksamheten är under uppbyggnad och rutiner är ej framtagna ännu.",
        actions: "Momentet får kvarstå till kommande års internkontroll.",
        carries_over: true,
    },
    DemoControl {
        unit: "LKDATA",
        name: "Resursförsörjning",
        risk: "Kompetensbrist påverkar leveransförmågan",
        method: "Uppföljning av vakanser och rekryteringsbehov",
        frequency: "Kvartalsvis",
        owner: "Enhetschef LKDATA",
        result: ControlResult::PartlySatisfactory,
        findings: "Kontroll av resursförsörjningen visar ett stort rekryteringsbehov och det är svårt att rekrytera rätt personer kopplat till det rådande marknadsläget.",
        actions: "Momentet får kvarstå till kommande års internkontroll.",
        carries_over: true,
    },
    DemoControl {
        unit: "LKDATA",
        name: "Fördelning av uppdrag (PULS/Antura)",
        risk: "Bristande överblick och prioritering av uppdrag",
        method: "Intervjuer med gruppchefer och genomgång av planering i Antura",
        frequency: "Två gånger per år",
        owner: "Enhetschef LKDATA",
        result: ControlResult::PartlySatisfactory,
        findings: "Fördelning av uppdrag via PULS möten och planering i Antura fungerar relativt bra, men ibland sker fördelning utanför systemet och gruppchefer uppger att de saknar översikt.",
        actions: "Momentet får kvarstå till kommande års internkontroll.",
        carries_over: true,
    },
    DemoControl {
        unit: "ARKIV",
        name: "Rutiner kring inköpskort",
        risk: "Inköp utan underlag eller utanför ramavtal",
        method: "Stickprov av kortköp mot kvitton",
        frequency: "Kvartalsvis",
        owner: "Stadsarkivarie",
        result: ControlResult::Satisfactory,
        findings: "Stadsarkivets kontroll beträffande rutiner kring inköpskort visar inga brister.",
        actions: "",
        carries_over: false,
    },
    DemoControl {
        unit: "ARKIV",
        name: "Säkerhet i verksamhetslokaler",
        risk: "Obehörig åtkomst till arkivhandlingar",
        method: "Genomgång av tillträdesbehörigheter och låsrutiner",
        frequency: "Två gånger per år",
        owner: "Stadsarkivarie",
        result: ControlResult::Satisfactory,
        findings: "Stadsarkivets kontroll beträffande säkerhet i verksamhetslokaler visar inga brister.",
        actions: "",
        carries_over: false,
    },
    DemoControl {
        unit: "ARKIV",
        name: "Personalens stämplingar i Kom & Gå",
        risk: "Felaktig arbetstidsregistrering",
        method: "Stickprov av stämplingar i Kom & Gå",
        frequency: "Kvartalsvis",
        owner: "Stadsarkivarie",
        result: ControlResult::Satisfactory,
        findings: "Stadsarkivets kontroll kring personalens stämplingar i Kom & Gå visar inga brister.",
        actions: "",
        carries_over: false,
    },
    DemoControl {
        unit: "ARKIV",
        name: "Underlag till löneutbetalning",
        risk: "Felaktiga löneutbetalningar",
        method: "Kontroll av underlag mot utbetalda löner",
        frequency: "Månadsvis",
        owner: "Stadsarkivarie",
        result: ControlResult::Satisfactory,
        findings: "Stadsarkivets kontroll av underlag till löneutbetalning visar inga brister.",
        actions: "",
        carries_over: false,
    },
    DemoControl {
        unit: "VSS",
        name: "Introduktion och avslut",
        risk: "Bristande introduktion och oprofessionella avslut",
        method: "Uppföljning av introduktionsprogram och avgångssamtal",
        frequency: "Två gånger per år",
        owner: "Förvaltningschef",
        result: ControlResult::Satisfactory,
        findings: "Kontrollen visar att nya medarbetare får ett introduktionsprogram av chef samt har uppföljning av introduktionen. I enstaka fall verkar dock introduktionen ha vissa brister. Medarbetare som avslutar sin anställning har avgångssamtal med sin chef och erhåller tjänstgöringsbetyg. Resultatet bedöms som tillfredsställande men att viss förbättring bör kunna ske beträffande medarbetarnas introduktion i vissa fall.",
        actions: "Viss förbättring bör kunna ske beträffande medarbetarnas introduktion i vissa fall.",
        carries_over: false,
    },
    DemoControl {
        unit: "VSS",
        name: "Chefers signering av utanordningslistor",
        risk: "Felaktiga löneutbetalningar",
        method: "Kontroll av att utanordningslistor är signerade av chef",
        frequency: "Månadsvis",
        owner: "Förvaltningschef",
        result: ControlResult::Satisfactory,
        findings: "När det gäller månadsvisa kontrollen av chefers signering av utanordningslistor så fungerar det tillfredsställande.",
        actions: "",
        carries_over: false,
    },
    DemoControl {
        unit: "VSS",
        name: "Underlag av flextidsstämplingar (tjänstgöringsrapporter)",
        risk: "Felaktig arbetstid och ersättning",
        method: "Stickprov av tjänstgöringsrapporter för anställda med flextidsavtal",
        frequency: "Kvartalsvis",
        owner: "Förvaltningschef",
        result: ControlResult::Unsatisfactory,
        findings: "Kontroll av underlag av flextidsstämplingar visar ett otillfredsställande resultat både vad gäller att anställda med flextidsavtal erhåller tjänstgöringsrapporten samt att tjänstgöringsrapporten signeras.",
        actions: "Rutinen behöver ses över och förbättras.",
        carries_over: true,
    },
];

/// The narrative texts of the report's sections.
pub static NARRATIVES: &[DemoNarrative] = &[
    DemoNarrative {
        section: "uppdrag",
        title: "Förvaltningens uppdrag",
        text: "Verksamhetsstöd och service i Linköpings kommun samlar kommuninterna tjänster och servicefunktioner som riktar sig mot kommunkoncernen. Kommunens förvaltningar är skyldiga att nyttja Verksamhetsstöd och services tjänster, kommunens bolag får nyttja tjänsterna, då på samma villkor som förvaltningarna i övrigt. De verksamheter som placeras i Verksamhetsstöd och service har en gemensam verksamhetslogik som bygger på att förvaltningar och bolag i kommunkoncernen är såväl beställare/uppdragsgivare som kund.\n\nFörvaltningen ska inom sina serviceområden aktivt bidra till verksamhetsutveckling i den kommunala verksamheten.",
    },
    DemoNarrative {
        section: "bedomning",
        title: "Förvaltningschefens bedömning och analys",
        text: "Verksamhetsstöd och Service (VSS) är i en uppbyggnadsfas. De ingående verksamheterna hanterar sina uppdrag utifrån respektive beställning. Under de åtta första månaderna har delar av förvaltningens ledningssystem kommit på plats, vissa delar kvarstår i det arbetet. Inför sommaren och tidig höst lades grunden för att starta arbetet med ett enhetligt tjänsteutbud, en tjänsteportal för intern service och en affärsmodell för de interna servicetjänsterna.\n\nEtt extra fokus inom förvaltningen har legat på uppstarten av Kontakt Linköping där verksamheten är nu igång och fyller sin funktion. Nu kommer Kontakt Linköping både konsolidera sin verksamhet, men också fortsätta ett offensivt utvecklingsarbete.",
    },
    DemoNarrative {
        section: "samlad_analys",
        title: "Samlad bedömning och analys av ekonomi, verksamhet och personal",
        text: "Förvaltnings samlade resultat är tillfredställande och fyra av fem verksamheter klarar sina ekonomiska mål eller har ett bättre resultat. Den verksamhet som har svårast att hantera sin ekonomi individuellt är Ekonomiservice som fortfarande har som mål att klara ett nollresultat enligt budget. Problemet att klara nollresultat beror dels på ökade kostnader för ekonomisystemet Agresso både vad gäller vidmakthållande och vidareutveckling (uppgradering), men också på ökade volymer i vissa typer av ärenden. Både Kontakt Linköping och LKDATA har i dagsläget ett bättre ekonomiskt resultat än väntat. Kontakt Linköping har gjort något mindre utvecklingsarbete än planerat och även haft en något lägre bemanning än den planerade. LKDATA:s överskott över plan beror på ökade volymer för vissa tjänster men också här på en lägre bemanning än plan.\n\nInom förvaltningen sker fortlöpande rekryteringar för att kompensera olika avgångar. Inom området IT finns de svåraste utmaningarna då arbetsmarknaden är gynnsam för den kategorin medarbetare, vilket också märkts i situationen hos LKDATA.\n\nVerksamhetsresultaten är stabila i samtliga verksamheter och här hänvisas till nästa stycke om viktiga beslut och betydande händelser för förvaltningen.",
    },
    DemoNarrative {
        section: "ekonomi_analys",
        title: "Analys och kommentar",
        text: "Verksamheterna är intäktsfinansierade och budget baseras på ett nollresultat. Kontakt Linköping startades våren 2019 och jämförelsen med 2018 baseras på dåvarande Medborgarkontoret, som nu ingår som en del i Kontakt Linköping.",
    },
    DemoNarrative {
        section: "ekonomi_enheter",
        title: "Analys och kommentar per verksamhet",
        text: "Verksamhetsstöd och service ledning visar ett underskott per den 31 augusti med 203 tkr. Prognosen för året visar ett underskott med 945 tkr som motsvarar förvaltningens sparbeting 2019 för e-handel och avtalstrohet.\n\nEkonomiservice redovisar ett underskott med 65 tkr per den 30 april. För året prognostiserar enheten ett resultat i nivå med budget.\n\nHR-service har efter ett förändrat avtal med HR-direktören rekryterat till flera tjänster, reglering har skett innan sommaren så att ersättning även utgår för OH kostnader. Inköp av vissa nya program och licenser har medfört ökade kostnader. Etableringen av Chefsportalen och HR direkt har också påverkat. Systemkostnaden avseende Flexite och Trio har tagits centralt men HR-service har stått för personalresurserna. Även införande av Chefsportalen har krävt extra personalresurser. Trots detta visar verksamheten per den siste augusti ett överskott med 433 tkr och bedömningen är att ekonomin är i balans vid årets slut.\n\nKontakt Linköping redovisar ett överskott för perioden med 2 787 tkr. Orsaken är framförallt lägre lokalkostnader än beräknat. Även personalkostnaderna är lägre, men bedömningen är att bemanningen kommer att öka under senare del av året. Årsprognosen visar ett överskott med 2 000 tkr.\n\nStadsarkivet redovisar ett överskott med 87 tkr per den 31 augusti. Prognosen för året visar ett resultat i nivå med budget.\n\nLKDATA redovisar ett överskott per den 31 augusti med 12 976 tkr. Redovisat resultat för augusti beror i huvudsak på upparbetade möjliga men orealiserade prissänkningar på minst 3,4 miljoner kronor. Om de tjänster där planerad prissänkning har ökat i volym jmf med volymunderlaget 2017 så innebär det att det får ytterligare en positiv effekt på resultatet. Därutöver har en del övriga volymer också ökat. Resultatet beror även på lägre personalkostnader än budgeterat motsvarande cirka 7,4 miljoner kronor. Av dessa består merparten av vakanser men även några längre sjukskrivningar. Vakanserna avser bland annat ersättningsrekryteringar som dragit ut på tiden på grund av arbetsmarknadsläget samt viss svårighet att hitta rätt kompetenser. De kan även avse planerade nyrekryteringar kopplat till införande av PM3 och applikationsförvaltning har förskjutits under året. Även förskjutna investeringar har påverkat resultatet positivt tillsammans med effektiviseringar av tjänsterna. Den ordinarie verksamheten fungerar väl och enligt budget. Årsprognosen har justerats till 15 834 tkr. Orsaken till den stora förändringen är bland annat förskjutna ersättningsrekryteringar och en uppskjuten investeringstakt. En kostnadspost som budgeterats för att möta tänkt prisjustering har inte realiserats och därför räknats bort och den påverkar prognosen positivt. På resterande grupper har mindre justeringar gjorts kopplat till förändringar i leverans och vakanser.\n\nTotalt prognostiseras ett överskott för förvaltningen med 16,9 mnkr i år.",
    },
    DemoNarrative {
        section: "investeringar_analys",
        title: "Analys och kommentar",
        text: "Investeringarna uppgår till 33 miljoner per den siste augusti. En begäran om utökad investeringsram med 10,1 mnkr kommer att begäras.",
    },
    DemoNarrative {
        section: "lokalforsorjning",
        title: "10-årig lokalförsörjningsplan",
        text: "Ingår i Kommunstyrelsens lokalförsörjningsplan.",
    },
    DemoNarrative {
        section: "investeringsplan",
        title: "10-årig investeringsplan",
        text: "Ingår i Kommunstyrelsens investeringsplan.",
    },
    DemoNarrative {
        section: "upphandlingsplan",
        title: "Upphandlingsplan",
        text: "Ingen upphandlingsplan har tagits fram för 2019, därav ingen uppföljning.",
    },
    DemoNarrative {
        section: "internkontroll",
        title: "Internkontrollplan",
        text: "Enheterna inom VSS har samtliga egna unika kontrollmoment som följs upp i internkontrollen. Ekonomiservice kontroller beträffande leverantörsförändringar i Agresso visar att rutinerna fungerar bra och att betalinfon till leverantörerna är korrekt. När det gäller kontrollen kring säkerhetsparametrar i Agresso har inga ändringar gjorts under 2019 utan förändringar har endast varit kopplat till uppgradering av ekonomisystemet. Ekonomiservice har även ett kontrollmoment kopplat till hantering av beslutsattester. Resultatet bedöms som delvis tillfredställande beroende på att i vissa fall saknas delegaters namnteckning på beslutsattestansökan, samt att kontroller försvåras då behörighet saknas till andra nämnders diarier där delegationsbeslut kring beslutsattester ska registreras.\n\nKontrollen av HR service hantering av inköpskort visar att vissa brister finns beträffande förekomsten av kvitton samt inköp från icke ramavtalsleverantörer där sådana finns. Efter ett tillbud där obehörig person tagit sig in i verksamhetens lokaler har rutiner setts över och klargörs för befintliga och nya medarbetare. Rutinen för signering i Heroma fungerar bra, medan kontroll av underlag för flextidsstämplingar kräver en ny rutin som införs där enhetschef signerar. Slutsatsen av kontrollerna är delvis tillfredsställande och att kontrollmomenten får vara kvar oförändrade till 2020.\n\nKontakt Linköping har utfört planerade mätningar beträffande belastningsmönster och kundnöjdhet. För mätperioden april t o m augusti har 105 068 ärenden registrerats, varav merparten, 77 % är via telefon, Kundnöjdhet har mätts genom 2 350 enkäter och högst resultat erhålls för engagemang (82 %) och generell nöjdhet (77 %). Lägst procent har uppklarning (66 %).\n\nLKDATAs internkontroll avser perioden januari-augusti 2019.beskriver att rutiner för change- och releaseprocesserna kommer att ses över hösten 2019. Enhetens interna rutiner beträffande ekonomi kopplat till PM3 behöver revideras och anpassas till den kommungemensamma lösningen som är under framtagande. När det gäller leverantörshantering sker en löpande bevakning under året. Uppföljning görs två gånger per år och visar att processen fungerar. Volymen avtal inom PM3 är dock fortfarande begränsad. Det är oklart vad verksamheten själva ska hantera och vad som ska hanteras hos LKDATA. Rutin mellan PM3 och Change är under framtagande. Vissa förändringsarbeten sker utanför Changeprocessen då den upplevs som administrativt tung och inte ger det stöd som önskas. Ansvarsområdet applikationsförvaltning är nytt område och verksamheten är under uppbyggnad och rutiner är ej framtagna ännu. Kontroll av resursförsörjningen visar ett stort rekryteringsbehov och det är svårt att rekrytera rätt personer kopplat till det rådande marknadsläget. Fördelning av uppdrag via PULS möten och planering i Antura fungerar relativt bra, men ibland sker fördelning utanför systemet och gruppchefer uppger att de saknar översikt. Slutsats av kontrollerna är att momenten fortfarande är aktuella och får kvarstå till kommande års internkontroll.\n\nStadsarkivets kontroller beträffande rutiner kring inköpskort, säkerhet i verksamhetslokaler, kontroll kring personalens stämplingar i Kom & Gå och kontroll av underlag till löneutbetalning visar inga brister.\n\nNågra gemensamma kontrollmoment finns inom personalområdet, bland annat avseende god introduktion och professionella avslut. Kontrollen visar att nya medarbetare får ett introduktionsprogram av chef samt har uppföljning av introduktionen. I enstaka fall verkar dock introduktionen ha vissa brister. Medarbetare som avslutar sin anställning har avgångssamtal med sin chef och erhåller tjänstgöringsbetyg. Resultatet bedöms som tillfredsställande men att viss förbättring bör kunna ske beträffande medarbetarnas introduktion i vissa fall.\n\nNär det gäller månadsvisa kontrollen av chefers signering av utanordningslistor så fungerar det tillfredsställande. Kontroll av underlag av flextidsstämplingar visar ett otillfredsställande resultat både vad gäller att anställda med flextidsavtal erhåller tjänstgöringsrapporten samt att tjänstgöringsrapporten signeras. Rutinen behöver ses över och förbättras.",
    },
    DemoNarrative {
        section: "kompetensforsorjning",
        title: "Personal- och kompetensförsörjningsplan",
        text: "Det finns ingen personal och kompetensförsörjningsplan för VSS specifikt 2019.",
    },
    DemoNarrative {
        section: "objektsplan",
        title: "Objektsplan (PM3)",
        text: "VSS olika verksamheter är intressenter i flera olika objekt. Exempelvis Ekonomiservice och HR Service som är tydliga intressenter i objektet Ekonomi och HR.\n\nFörvaltningschefen är sedan sommaren medlem i styrgruppen för PM3 objektet administration, kommunikation och näringsliv, där ärendehanteringssystemet Flexite är placerat som mycket viktigt för förvaltningens kundtjänstverksamhet. I samverkan med objektet skapas nu en gemensam målbild för olika IT-komponenter som ska stödja VSS tjänsteutveckling.",
    },
    DemoNarrative {
        section: "strategiska_uppdrag_intro",
        title: "Strategiska utvecklingsuppdrag",
        text: "Kommunfullmäktige gav i Budget 2019 med plan för 2020-2022 strategiska utvecklingsuppdrag till nämnderna. Åtgärder i enlighet med uppdragen har inarbetats i nämndens internbudget som redovisas till kommunfullmäktige i april 2019 (KF 2019-04-23). De uppdrag som ska återrapporteras till kommunstyrelsen i särskild ordning redovisas i nedanstående tabell, dessa framgår av Budget 2019 med plan 2020-2022.",
    },
    DemoNarrative {
        section: "indikatorer_intro",
        title: "Uppföljning av nämndindikatorer",
        text: "I denna bilaga redovisas utfall för de nämndindikatorer som används som ett underlag i bedömningen av nämndmålen. Vid rapporteringen av utfall för indikatorerna används senast tillgänglig statistik. Utfall redovisas könsuppdelat när så är möjligt.",
    },
];

/// "Viktiga beslut och händelser": the decisions (Beslut) first, then the events (Händelser).
pub static EVENTS: &[DemoEvent] = &[
    DemoEvent {
        decision: true,
        text: "Förvaltningsledningen har tagit beslut om att komplettera VSS stabsfunktioner, det innebär att följande funktioner kommer att finnas under 2020 och framåt:\n– Kommunikatör om 50 %\n– Verksamhetsutvecklare om 100 %",
    },
    DemoEvent {
        decision: true,
        text: "VSS ledningsgrupp har beslutat om att starta upp ett tjänsteutvecklingsprojekt.",
    },
    DemoEvent {
        decision: true,
        text: "Kommunledningen har tagit beslut om byggnation av förvaltningslokaler i Ebbe Park och att VSS ska flytta dit i årsskiftet 2021-22.",
    },
    DemoEvent {
        decision: false,
        text: "LKDATA har klarat sin certifiering enligt ITIL, vilket säkerställer en kvalitativ drift och utveckling av Linköpings kommuns IT drift",
    },
    DemoEvent {
        decision: false,
        text: "HR-direkt har startat sin verksamhet i början av maj utifrån uppdrag från HR-direktören.\n– Nöjda kunder 25 % av kunderna svarar på enkät och resultatet är 100 % nöjda kunder.\n– HR-direkt används av följande målgrupper i dagsläget. 37 % chef, 34 % administratörer och 29 % HR-konsulter.\n– Kanalvalen in är i dagsläget enligt följande, 43 % webformulär, 28 % chatt och 15 % telefon.",
    },
    DemoEvent {
        decision: false,
        text: "Kontakt Linköping har på ett positivt klarat av både sin verksamhetsstart och den första sommaren. Här kan vi rapportera om ett högt tryck men också goda servicenivåer\n– Antal ärenden per vecka – ca 5000\n– Svarsservice ca 85 % besvarade inom 120 sekunder (mål 80 %)\n– En generell kundnöjdhet på 80 (100 gradig skala)",
    },
    DemoEvent {
        decision: false,
        text: "Digitalisering av medborgartjänster och blankettfri kommun\n– Förvaltning bidrar på ett aktivt sätt i detta arbete genom att vara en delmängd i dessa utvecklingsprojekt. De verksamheter som i dagsläget är mest inblandade är Kontakt Linköping och LKDATA. Bland annat medverkar förvaltningen till:\n– En blankettfri skolstart genom att vara väl förberedda för föräldrars frågor runt tillvägagångssättet\n– Digitaliseringen av hantering runt försörjningsstöd genom förberedelser tillsammans med SoF vad gäller att erbjuda publika datorer, att hantera översättningar av information till olika språk samt att kraftsamla bemanning för att kunna informera och stödja medborgare i hanteringen",
    },
    DemoEvent {
        decision: false,
        text: "Rekryteringar genomförda inom samtliga verksamheter.",
    },
];
