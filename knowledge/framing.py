"""The assistant's own sentences around a quote, in French, Arabic and English."""

from __future__ import annotations

from knowledge.answer_types import Language

MESSAGES: dict[str, dict[str, str]] = {
    "according_to": {
        "fr": "D'après « {title} »{edition} :",
        "ar": "حسب « {title} »{edition}، ونص المصدر بالفرنسية:",
        "en": "According to “{title}”{edition} (quoted in French):",
    },
    "edition": {"fr": " (édition {year})", "ar": " (دورة {year})", "en": " ({year} edition)"},
    "source_line": {"fr": "Source : {sources}.", "ar": "المصدر: {sources}.", "en": "Source: {sources}."},
    "part": {"fr": "« {question} »", "ar": "« {question} »", "en": "“{question}”"},
    "year_not_covered": {
        "fr": "Mes textes ne couvrent pas l'édition {year} de l'appel. La dernière édition connue est celle de "
        "{latest} : clôture le {deadline}.",
        "ar": "النصوص المتوفرة لدي لا تغطي دورة {year} من طلب المشاريع. آخر دورة معروفة هي دورة {latest}: "
        "أجل الإيداع {deadline}.",
        "en": "My texts do not cover the {year} edition of the call. The latest edition they know is {latest}: "
        "it closed on {deadline}.",
    },
    "nearby": {
        "fr": "Je peux répondre sur des sujets proches : {topics}",
        "ar": "يمكنني الإجابة عن مواضيع قريبة: {topics}",
        "en": "I can answer on nearby topics: {topics}",
    },
    "unconfirmed": {
        "fr": "⚠ Information non confirmée par un texte officiel récent : vérifiez-la auprès du Ministère.",
        "ar": "⚠ معلومة غير مؤكدة بنص رسمي حديث: يرجى التحقق منها لدى الوزارة.",
        "en": "⚠ Not confirmed by a recent official text: check it with the Ministry.",
    },
    "deadline_passed": {
        "fr": "Cette date limite ({deadline}) est passée : nous sommes le {today}.",
        "ar": "هذا الأجل ({deadline}) قد انقضى، فاليوم هو {today}.",
        "en": "This deadline ({deadline}) has passed: today is {today}.",
    },
    "deadline_open": {
        "fr": "Il reste {days} jour(s) avant cette date limite ({deadline}).",
        "ar": "يتبقى {days} يوما قبل هذا الأجل ({deadline}).",
        "en": "{days} day(s) remain before this deadline ({deadline}).",
    },
    "deadline_today": {
        "fr": "Cette date limite ({deadline}) tombe aujourd'hui.",
        "ar": "هذا الأجل ({deadline}) هو اليوم.",
        "en": "This deadline ({deadline}) is today.",
    },
    "latest_edition": {
        "fr": "C'est l'édition la plus récente que connaissent mes textes ({year}).",
        "ar": "هذه أحدث دورة تعرفها النصوص المتوفرة لدي ({year}).",
        "en": "This is the latest edition my texts know of ({year}).",
    },
    "no_answer": {
        "fr": "Les textes de l'appel dont je dispose ne répondent pas à cette question, "
        "et je préfère ne rien inventer.",
        "ar": "النصوص المتوفرة لدي حول طلب المشاريع لا تجيب عن هذا السؤال، ولا أريد أن أقدم معلومة غير موثقة.",
        "en": "The call texts I have do not answer this question, and I will not make something up.",
    },
    "contact": {
        "fr": "Pour une réponse fiable, contactez la Division des Plateformes Technologiques et des Clusters "
        "(Ministère de l'Industrie et du Commerce) : tél. {phone}, e-mail {email}.",
        "ar": "للحصول على جواب موثوق، اتصلوا بقسم المنصات التكنولوجية والعناقيد بوزارة الصناعة والتجارة: "
        "الهاتف {phone}، البريد الإلكتروني {email}.",
        "en": "For a reliable answer, contact the Technology Platforms and Clusters Division "
        "(Ministry of Industry and Trade): phone {phone}, e-mail {email}.",
    },
    "empty": {
        "fr": "Posez-moi une question sur l'appel à projets clusters, par exemple : « Quelle est la date limite ? »",
        "ar": "اطرحوا علي سؤالا حول طلب المشاريع الخاص بالعناقيد، مثلا: « ما هو آخر أجل؟ »",
        "en": "Ask me a question about the clusters call for projects, for example: “What is the deadline?”",
    },
}


def say(key: str, language: Language, **values: object) -> str:
    """Return one framing sentence in the given language, filled with `values`."""
    return MESSAGES[key][language].format(**values)


def edition_label(edition: str | None, language: Language) -> str:
    """Return " (édition 2024)" or nothing when the edition is unknown."""
    return say("edition", language, year=edition) if edition else ""
