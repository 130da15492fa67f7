"""The language check: the declared language against the detected one, and passages left in
another language. Sample texts are written for these tests; other rule tests reuse them."""

import pytest

from tribune.checks.base import REGISTRY, Draft

GERMAN_SCHOOLS = (
    "# Schulen bekommen schnelleres Internet\n"
    "\n"
    "Die Landesregierung hat am Mittwoch ein Programm beschlossen, mit dem bis 2028 alle "
    "Schulen an das Glasfasernetz angeschlossen werden sollen. Nach Angaben des "
    "Kultusministeriums stehen dafür rund 400 Millionen Euro bereit. Ministerin Katrin "
    "Albers sprach von einem „überfälligen Schritt“ und kündigte an, dass zusätzlich "
    "30.000 Laptops für bedürftige Schülerinnen und Schüler angeschafft werden.\n"
    "\n"
    "Viele Lehrkräfte arbeiten seit der Pandemie regelmäßig im Homeoffice und bereiten "
    "den Unterricht online vor. Ein Team aus IT-Fachleuten soll die Schulen künftig bei "
    "der Wartung von Computern und Software unterstützen. Bisher kümmern sich oft "
    "einzelne Lehrer in ihrer Freizeit um Updates und Passwörter, was an manchen "
    "Gymnasien zu langen Ausfällen geführt hat.\n"
    "\n"
    "Der Elternverband begrüßte die Pläne grundsätzlich, mahnte aber zur Eile. „Wir hören"
    " seit zehn Jahren Ankündigungen, jetzt müssen die Bagger rollen“, sagte die "
    "Vorsitzende Petra Yilmaz. Die Gewerkschaft Erziehung und Wissenschaft kritisierte, "
    "dass die Mittel für Fortbildungen nicht ausreichten. Ohne geschultes Personal nütze "
    "auch das beste Netzwerk wenig.\n"
    "\n"
    "Die Opposition im Landtag hält den Zeitplan für unrealistisch. Der "
    "bildungspolitische Sprecher der Grünen, Jonas Brandt, verwies auf den "
    "Fachkräftemangel im Tiefbau: Schon heute warteten Gemeinden monatelang auf Firmen, "
    "die Leitungen verlegen. Das Ministerium entgegnete, die Aufträge würden in größeren "
    "Losen vergeben, damit sich auch überregionale Unternehmen bewerben.\n"
    "\n"
    "Im Kreis Südheide sind bereits zwölf Schulen angeschlossen. Dort nutzen die Klassen "
    "ein gemeinsames Lernportal, über das Hausaufgaben verteilt und Tests korrigiert "
    "werden. Schulleiter Martin Oduya berichtet, dass die Technik inzwischen zuverlässig "
    "laufe. Die größte Herausforderung sei nicht das Kabel gewesen, sondern die Frage, "
    "wer bei Störungen am Wochenende erreichbar ist.\n"
)

GERMAN_TRAIN = (
    "Die Bahn will im kommenden Jahr deutlich mehr Geld in die Sanierung ihrer Brücken "
    "stecken. Wie ein Sprecher des Konzerns am Montag mitteilte, sind rund 1.200 Bauwerke"
    " in einem so schlechten Zustand, dass sie in den nächsten zehn Jahren ersetzt werden"
    " müssen. Für Fahrgäste bedeutet das vor allem eines: mehr Baustellen, mehr "
    "Umleitungen und längere Fahrzeiten.\n"
    "\n"
    "Besonders betroffen sind die Strecken zwischen Hamburg und Hannover sowie im Rhein-"
    "Main-Gebiet. Dort sollen die Arbeiten gebündelt werden, damit einzelne Abschnitte "
    "nicht jedes Jahr erneut gesperrt werden. Der Fahrgastverband Pro Bahn hält das "
    "Konzept für richtig, fordert aber verlässliche Informationen. Viele Pendler erführen"
    " von Ausfällen erst am Bahnsteig oder über die App, wenn der Zug längst hätte "
    "abfahren sollen.\n"
    "\n"
    "Die Finanzierung ist noch nicht vollständig gesichert. Der Bund hat zwar zusätzliche"
    " Mittel zugesagt, doch im Haushaltsentwurf fehlen nach Berechnungen des "
    "Verkehrsclubs mehrere Milliarden Euro. Bundesverkehrsminister Stefan Hollmann sagte,"
    " er sei zuversichtlich, dass der Bundestag die Lücke im Herbst schließen werde. Ein "
    "Manager des Konzerns sprach von einem Marathon, nicht von einem Sprint.\n"
    "\n"
    "Auch der Güterverkehr leidet unter dem Zustand des Netzes. Speditionen weichen "
    "zunehmend auf die Straße aus, weil Züge mit Containern oft stundenlang warten "
    "müssen. Das widerspricht dem politischen Ziel, mehr Fracht auf die Schiene zu "
    "verlagern. Ein Branchenverband schlägt deshalb vor, Baustellen künftig nachts und am"
    " Wochenende zu konzentrieren, auch wenn das teurer ist.\n"
)

GERMAN_MACHINE_TRANSLATED = (
    "Die Stadtverwaltung hat am Dienstag neue Regeln für den Verkehr in der Innenstadt "
    "vorgestellt, which will come into force next spring. Autos dürfen dann nur noch mit "
    "einer Sondergenehmigung in die Fußgängerzone fahren. Der Bürgermeister sagte, dass "
    "die Maßnahme in the long run für mehr Lebensqualität sorgen werde.\n"
    "\n"
    "Händler sehen das kritisch. Sie befürchten, dass weniger Kunden kommen, especially "
    "on weekends when most people go shopping. Die Industrie- und Handelskammer fordert "
    "deshalb mehr Parkplätze am Stadtrand und einen kostenlosen Busverkehr. Eine Umfrage "
    "unter Anwohnern zeigt dagegen eine klare Mehrheit für das Vorhaben.\n"
)

ENGLISH_BUDGET = (
    "The city council approved its budget for next year on Tuesday after a debate that "
    "lasted almost nine hours. Spending on public transport will rise by twelve percent, "
    "while the parks department faces a cut of about four million dollars. Council member"
    ' Rosa Delgado called the plan "a fair compromise in a difficult year" and said that '
    "no libraries would close.\n"
    "\n"
    "Opponents argued that the budget relies too heavily on a one-time transfer from the "
    "reserve fund. The finance committee's chair, Daniel Okafor, warned that the city "
    "could face a larger gap in two years if revenue from property taxes does not "
    "recover. He proposed a hiring freeze for administrative positions, which the council"
    " rejected by a narrow vote.\n"
    "\n"
    "Residents who spoke during the public comment period mostly focused on housing. "
    "Several tenants described rents that have doubled since 2019 and asked the council "
    "to fund legal help for families facing eviction. The mayor's office said a pilot "
    "programme modelled on a scheme in Berlin would start in the spring, with a "
    "Kindergarten-style drop-in centre for parents attending hearings.\n"
)

# About 900 words of German, for timings.
GERMAN_900 = "\n\n".join([GERMAN_SCHOOLS, GERMAN_TRAIN, GERMAN_SCHOOLS, GERMAN_TRAIN])


def run(name, draft, **options):
    check = REGISTRY[name]
    return list(check.function(draft, {**check.options, **options}))


def german(body, **fields):
    return Draft(title=fields.pop("title", "Neue Regeln"), body=body, language="de", **fields)


def test_a_machine_translated_text_has_its_leftover_english_phrases_flagged():
    [finding] = run("language", german(GERMAN_MACHINE_TRANSLATED))
    assert finding.severity == "warning"
    assert finding.data["kind"] == "foreign_passages"
    assert finding.data["languages"] == ["en"]
    quoted = [p.text for p in finding.passages]
    assert "which will come into force next spring." in quoted
    assert "especially on weekends when most people go shopping." in quoted
    for passage in finding.passages:
        assert GERMAN_MACHINE_TRANSLATED[passage.start : passage.end] == passage.text
        assert passage.field == "body"


def test_normal_german_with_loanwords_and_names_has_no_foreign_passage():
    assert run("language", german(GERMAN_SCHOOLS)) == []
    assert run("language", german(GERMAN_TRAIN)) == []


def test_normal_english_with_a_german_loanword_and_names_has_no_foreign_passage():
    draft = Draft(title="Council passes budget", body=ENGLISH_BUDGET, language="en")
    assert run("language", draft) == []


def test_a_german_sentence_left_in_an_english_text_is_flagged():
    body = ENGLISH_BUDGET + (
        "\nThe vote was close. Die Opposition hat den Haushalt abgelehnt und will klagen."
    )
    draft = Draft(title="Council passes budget", body=body, language="en")
    [finding] = run("language", draft)
    assert finding.data["languages"] == ["de"]
    [passage] = finding.passages
    assert "Haushalt abgelehnt und will klagen." in passage.text
    assert body[passage.start : passage.end] == passage.text


def test_quoted_english_in_german_text_is_not_a_leftover():
    body = GERMAN_TRAIN + "\n\nDer Minister zitierte den Slogan „we will build it better“ gern."
    assert run("language", german(body)) == []


def test_a_text_in_another_language_than_declared_is_named():
    draft = Draft(title="Bahn", body=GERMAN_TRAIN, language="en")
    [finding] = run("language", draft)
    assert finding.severity == "warning"
    assert finding.data["kind"] == "differs"
    assert finding.data["detected"] == "de"
    assert "German" in finding.message


def test_an_empty_or_very_short_text_gives_no_language_finding():
    assert run("language", german("")) == []
    assert run("language", german("Kurz.")) == []


def test_text_in_a_script_lingua_does_not_know_gives_a_note():
    [finding] = run("language", german("สวัสดีครับ ยินดีต้อนรับสู่ข่าววันนี้ " * 20))
    assert finding.severity == "info"
    assert finding.data["kind"] == "unknown"


@pytest.mark.parametrize(
    "junk",
    [
        bytes(range(256)).decode("latin-1") * 40 + "\udcff\ud800",
        bytes(range(7, 256, 3)).decode("utf-8", errors="replace") * 40,
        bytes(range(128, 256)).decode("utf-8", errors="surrogateescape") * 40 + " Wort " * 20,
    ],
)
def test_binary_junk_gives_a_note_and_no_crash(junk):
    [finding] = run("language", german(junk))
    assert finding.severity == "info"
    assert finding.data["kind"] == "not_text"


def test_klingon_like_junk_is_reported_as_not_the_declared_language_or_not_at_all():
    body = "tlhIngan Hol Dajatlh'a' qaStaHvIS wa' ram loS SaD Hugh SIjlaH qetbogh loD " * 5
    findings = run("language", german(body))
    assert all(f.severity != "blocking" for f in findings)
    assert all(f.data["kind"] in ("differs", "unknown") for f in findings)


def test_a_megabyte_body_is_checked_in_part_and_says_so():
    body = (GERMAN_SCHOOLS + "\n\n") * (1_000_000 // len(GERMAN_SCHOOLS) + 1)
    [finding] = run("language", german(body))
    assert finding.severity == "info"
    assert finding.data["kind"] == "sampled"
    assert finding.data["total_chars"] == len(body)
    assert finding.data["checked_chars"] < len(body)


def test_a_declared_language_lingua_does_not_know_is_not_judged():
    assert run("language", Draft(title="T", body=GERMAN_TRAIN, language="xx")) == []


@pytest.mark.parametrize("field", ["title", "summary"])
def test_leftover_english_in_the_headline_or_summary_points_into_that_field(field):
    text = "Die Stadt plant neue Regeln, which will come into force next spring"
    draft = german(GERMAN_TRAIN, **{field: text})
    [finding] = run("language", draft)
    passage = finding.passages[0]
    assert passage.field == field
    assert passage.text == "which will come into force next spring"


# Ordinary text full of loanwords, English names and titles: no finding expected.
LOANWORDS_DE = [
    (
        "Der Konzern Apple hat am Dienstag in Cupertino ein neues iPhone vorgestellt. Das"
        " Smartphone soll vor allem mit einer besseren Kamera und mehr Akkulaufzeit "
        "punkten. Analysten der Deutschen Bank rechnen damit, dass der Absatz im "
        "Weihnachtsgeschäft steigt, vor allem rund um den Black Friday. Der Chief "
        "Executive Officer Tim Cook sprach auf der Keynote von einem Meilenstein. "
        "Kritiker bemängeln dagegen die hohen Preise und den fehlenden Support für ältere"
        " Geräte."
    ),
    (
        "Die Klimabewegung Fridays for Future hat für Freitag erneut zu Protesten "
        "aufgerufen. In mehr als fünfzig Städten sind Kundgebungen angemeldet, darunter "
        "in Berlin, Hamburg und München. Die Organisatoren setzen auf Social Media und "
        "Livestreams, um auch jüngere Menschen zu erreichen. Auf den Plakaten stehen "
        "Slogans wie „There is no Planet B“. Die Polizei rechnet mit einem friedlichen "
        "Verlauf."
    ),
    (
        "Das Startup aus Leipzig entwickelt Software für Open Source Projekte und setzt "
        "dabei auf Machine Learning. Gründerin Lea Hoffmann hat ihr Team im vergangenen "
        "Jahr auf vierzig Leute vergrößert, die meisten arbeiten remote oder im "
        "Homeoffice. Im Meeting mit Investoren aus dem Silicon Valley ging es zuletzt um "
        "eine neue Finanzierungsrunde. Das Feedback sei positiv gewesen, sagte Hoffmann, "
        "die Deadline für den Vertrag laufe Ende März ab."
    ),
    (
        "Beim Public Viewing am Brandenburger Tor verfolgten am Abend rund 20.000 Fans "
        "das Spiel. Die Stimmung war ausgelassen, obwohl die Mannschaft lange zurücklag. "
        "Erst in der Nachspielzeit fiel der Ausgleich durch einen Kopfball nach einer "
        "Ecke. Der Trainer lobte hinterher die Moral seines Teams und sprach von einem "
        "Big Point im Kampf um den Gruppensieg. Das nächste Spiel findet am Samstag in "
        "Dortmund statt."
    ),
    (
        "Die Serie „The Last of Us“ hat beim Streamingdienst neue Rekorde aufgestellt. "
        "Die Verfilmung des gleichnamigen Videospiels erzählt von einer Welt nach einer "
        "Pandemie. Kritiker loben vor allem die Hauptdarsteller und die düstere "
        "Atmosphäre. Der Sender HBO hat bereits eine weitere Staffel angekündigt, die im "
        "kommenden Jahr erscheinen soll. In Deutschland läuft die Serie bei einem Pay-TV-"
        "Anbieter."
    ),
]
LOANWORDS_EN = [
    (
        "Chancellor Olaf Scholz told lawmakers in the Bundestag that the Schuldenbremse, "
        "the constitutional debt brake, would not be suspended again this year. The "
        "opposition CDU accused him of hiding a gap in the budget. Economists at the Ifo "
        "Institut in Munich said growth would stay weak, while the Bundesbank expects a "
        "modest recovery next spring. The debate came a day after the Verfassungsgericht "
        "ruling on climate funds."
    ),
    (
        "The festival in Munich opened on Saturday with the traditional tapping of the "
        "first keg. Visitors from around the world crowded into the tents, where waiters "
        "carried armfuls of Maß steins. Organisers said the Oktoberfest expected six "
        "million guests this year. Local police reported fewer incidents than last year, "
        "and the city praised the new Ordnungsdienst teams."
    ),
]


@pytest.mark.parametrize("body", LOANWORDS_DE)
def test_german_full_of_loanwords_english_names_and_titles_has_no_finding(body):
    assert run("language", german(body)) == []


@pytest.mark.parametrize("body", LOANWORDS_EN)
def test_english_with_german_names_and_terms_has_no_finding(body):
    assert run("language", Draft(title="News", body=body, language="en")) == []


@pytest.mark.parametrize(
    ("sentence", "leftover"),
    [
        (
            "Der Minister sagte, the government will not change its position, und ging.",
            "the government will not change its position,",
        ),
        (
            "Die Preise steigen, according to the latest figures from the statistics office.",
            "according to the latest figures from the statistics office.",
        ),
        (
            "Der Bericht erschien am Montag and it shows a clear trend.",
            "and it shows a clear trend.",
        ),
        ("Die Firma hat in the past few years stark expandiert.", "the past few years"),
        (
            "Laut Polizei gab es keine Verletzten. The investigation is ongoing.",
            "The investigation is ongoing.",
        ),
    ],
)
def test_english_leftovers_in_german_sentences_are_quoted(sentence, leftover):
    body = GERMAN_TRAIN + "\n\n" + sentence
    [finding] = run("language", german(body))
    [passage] = finding.passages
    # lingua may take a word of the German around it along; the English must be in it.
    assert leftover in passage.text
    assert len(passage.text) < len(leftover) + 12
