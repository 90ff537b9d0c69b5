"""The bot's own words in French, Arabic and English; the answers and the check come from the domain.

Templates are Telegram HTML written here; `say` escapes every value put into them.
"""

from __future__ import annotations

import html
from typing import Any

from intake.schema import Language

_T: dict[str, tuple[str, str, str]] = {
    # onboarding
    "welcome": (
        "Bonjour ! Je suis l'assistant de l'appel à projets du Ministère de l'Industrie et du Commerce "
        "pour le soutien des clusters industriels et technologiques.",
        "مرحبا! أنا المساعد الخاص بطلب المشاريع الذي أطلقته وزارة الصناعة والتجارة لدعم العناقيد "
        "الصناعية والتكنولوجية.",
        "Hello! I am the assistant for the Ministry of Industry and Trade's call for projects supporting "
        "industrial and technological clusters.",
    ),
    "capabilities": (
        "Je peux :\n• répondre à vos questions sur l'appel, en citant mes sources ;\n"
        "• vérifier avec vous l'éligibilité de votre projet (/eligibilite) ;\n"
        "• suivre les pièces de votre dossier (/dossier) et vous rappeler la date limite (/rappels).",
        "يمكنني:\n• الإجابة عن أسئلتكم حول طلب المشاريع مع ذكر مصادري؛\n"
        "• التحقق معكم من أهلية مشروعكم (/eligibilite)؛\n"
        "• تتبع وثائق ملفكم (/dossier) وتذكيركم بآخر أجل (/rappels).",
        "I can:\n• answer your questions about the call, citing my sources;\n"
        "• check with you whether your project is eligible (/eligibilite);\n"
        "• track the documents of your dossier (/dossier) and remind you of the deadline (/rappels).",
    ),
    "consent_ask": (
        "Pour la vérification d'éligibilité et le dossier, je dois conserver vos réponses et vos documents. "
        "Rien n'est conservé tant que vous n'avez pas accepté ; vous pourrez tout supprimer avec /supprimer. "
        "Sans accord, vous pouvez quand même me poser vos questions.",
        "للتحقق من الأهلية وإعداد الملف، أحتاج إلى حفظ أجوبتكم ووثائقكم. لا يُحفظ أي شيء ما لم توافقوا، "
        "ويمكنكم حذف كل شيء بواسطة /supprimer. وحتى دون موافقتكم، يمكنكم طرح أسئلتكم عليّ.",
        "For the eligibility check and the dossier I need to keep your answers and documents. Nothing is "
        "kept until you agree, and /supprimer deletes everything. Without agreeing you can still ask me "
        "questions.",
    ),
    "btn_consent_yes": ("✅ J'accepte", "✅ أوافق", "✅ I agree"),
    "btn_consent_no": ("Non merci", "لا، شكرا", "No thanks"),
    "consent_thanks": (
        "Merci. Vos réponses seront conservées jusqu'à ce que vous les supprimiez (/supprimer).",
        "شكرا. ستُحفظ أجوبتكم إلى أن تحذفوها (/supprimer).",
        "Thank you. Your answers will be kept until you delete them (/supprimer).",
    ),
    "consent_declined": (
        "C'est noté : rien n'est conservé. Posez-moi vos questions quand vous voulez.",
        "تم ذلك: لن يُحفظ أي شيء. اطرحوا أسئلتكم متى شئتم.",
        "Noted: nothing is kept. Ask me your questions whenever you like.",
    ),
    "consent_already": (
        "Vous avez déjà accepté. Pour retirer votre accord et tout effacer : /supprimer.",
        "سبق أن وافقتم. لسحب موافقتكم وحذف كل شيء: /supprimer.",
        "You already agreed. To withdraw and erase everything: /supprimer.",
    ),
    "consent_needed": (
        "Cette fonction conserve des informations vous concernant : j'ai besoin de votre accord d'abord.",
        "هذه الخدمة تحفظ معلومات تخصكم، لذا أحتاج إلى موافقتكم أولا.",
        "This keeps information about you, so I need your agreement first.",
    ),
    "welcome_back": ("Heureux de vous revoir !", "مرحبا بعودتكم!", "Welcome back!"),
    "choose_language": ("Choisissez votre langue :", "اختاروا لغتكم:", "Choose your language:"),
    "language_set": (
        "Je vous écrirai désormais en français.",
        "سأخاطبكم من الآن فصاعدا باللغة العربية.",
        "I will write to you in English from now on.",
    ),
    "language_pending": (
        "Votre choix sera retenu une fois votre accord donné ; sans accord, rien n'est conservé, pas même la langue.",
        "سيُحفظ اختياركم بعد موافقتكم؛ فبدونها لا يُحفظ أي شيء، ولا حتى اللغة.",
        "Your choice is kept once you agree; without agreement nothing is kept, not even the language.",
    ),
    "help": (
        "<b>Commandes</b>\n/eligibilite — vérifier l'éligibilité de votre projet\n/dossier — les pièces du "
        "dossier\n/resume — le résumé de vos réponses\n/rappels — rappels de la date limite\n/langue — "
        "changer de langue\n/contact — joindre le Ministère\n/supprimer — effacer vos données\n\n"
        "Pour toute autre question, écrivez-la simplement.",
        "<b>الأوامر</b>\n/eligibilite — التحقق من أهلية مشروعكم\n/dossier — وثائق الملف\n/resume — ملخص "
        "أجوبتكم\n/rappels — التذكير بآخر أجل\n/langue — تغيير اللغة\n/contact — التواصل مع الوزارة\n"
        "/supprimer — حذف بياناتكم\n\nولأي سؤال آخر، اكتبوه ببساطة.",
        "<b>Commands</b>\n/eligibilite — check your project's eligibility\n/dossier — the dossier's "
        "documents\n/resume — a summary of your answers\n/rappels — deadline reminders\n/langue — change "
        "language\n/contact — reach the Ministry\n/supprimer — erase your data\n\n"
        "For anything else, just write your question.",
    ),
    "contact": (
        "<b>Division des plateformes technologiques et des clusters</b>, Ministère de l'Industrie et du "
        "Commerce\nTéléphone : {phone}\nCourriel : {email}",
        "<b>قسم المنصات التكنولوجية والعناقيد</b>، وزارة الصناعة والتجارة\nالهاتف: {phone}\nالبريد الإلكتروني: {email}",
        "<b>Technology Platforms and Clusters Division</b>, Ministry of Industry and Trade\n"
        "Phone: {phone}\nE-mail: {email}",
    ),
    "unknown_command": (
        "Je ne connais pas cette commande. Voici celles que je comprends :",
        "لا أعرف هذا الأمر. إليكم الأوامر التي أفهمها:",
        "I don't know that command. Here are the ones I understand:",
    ),
    "error": (
        "Désolé, quelque chose s'est mal passé de mon côté. Réessayez dans un instant.",
        "عذرا، حدث خلل من جهتي. أعيدوا المحاولة بعد لحظات.",
        "Sorry, something went wrong on my side. Please try again in a moment.",
    ),
    # buttons in general
    "forged_button": (
        "Je ne reconnais pas ce bouton ; rien n'a été modifié.",
        "لم أتعرف على هذا الزر؛ لم يتغير أي شيء.",
        "I don't recognise this button; nothing was changed.",
    ),
    "not_yours": (
        "Ce bouton ne vous appartient pas ; rien n'a été modifié.",
        "هذا الزر لا يخصكم؛ لم يتغير أي شيء.",
        "This button is not yours; nothing was changed.",
    ),
    "stale_button": (
        "Ce bouton correspond à une étape dépassée ; rien n'a été modifié. Voici où vous en êtes :",
        "هذا الزر يخص مرحلة تجاوزتموها؛ لم يتغير أي شيء. إليكم المرحلة التي بلغتموها:",
        "This button belongs to an earlier step; nothing was changed. Here is where you are:",
    ),
    "check_finished": (
        "Cette vérification est terminée ; rien n'a été modifié. Voici son résultat :",
        "انتهى هذا التحقق؛ لم يتغير أي شيء. إليكم نتيجته:",
        "This check is finished; nothing was changed. Here is its result:",
    ),
    "unknown_edition": (
        "Je ne connais pas cette édition. Éditions disponibles : {years}.",
        "لا أعرف هذه الدورة. الدورات المتاحة: {years}.",
        "I don't know that edition. Editions available: {years}.",
    ),
    # the check
    "progress": ("Question {n} / {total}", "السؤال {n} من {total}", "Question {n} / {total}"),
    "check_title": (
        "Vérification d'éligibilité — édition {year}",
        "التحقق من الأهلية — دورة {year}",
        "Eligibility check — {year} edition",
    ),
    "hint_integer": (
        "Répondez par un nombre, en chiffres.",
        "أجيبوا بعدد، بالأرقام.",
        "Reply with a number, in digits.",
    ),
    "hint_text": ("Écrivez votre réponse.", "اكتبوا جوابكم.", "Type your answer."),
    "hint_multi": (
        "Cochez tout ce qui s'applique, puis « Terminé ».",
        "اختاروا كل ما ينطبق، ثم «تم».",
        "Tick all that apply, then “Done”.",
    ),
    "btn_yes": ("Oui", "نعم", "Yes"),
    "btn_no": ("Non", "لا", "No"),
    "btn_done": ("Terminé ✓", "تم ✓", "Done ✓"),
    "btn_skip": ("Passer", "تخطي", "Skip"),
    "btn_back": ("◀ Retour", "رجوع ▶", "◀ Back"),
    "btn_restart": ("↺ Recommencer", "↺ البدء من جديد", "↺ Start over"),
    "btn_check": ("Vérifier l'éligibilité", "التحقق من الأهلية", "Check eligibility"),
    "btn_dossier": ("Mon dossier", "ملفي", "My dossier"),
    "skipped": ("(sans réponse)", "(دون جواب)", "(no answer)"),
    "need_choice": (
        "Choisissez au moins une réponse.",
        "اختاروا جوابا واحدا على الأقل.",
        "Choose at least one answer.",
    ),
    "verdict_title": ("Résultat : {verdict}", "النتيجة: {verdict}", "Result: {verdict}"),
    "verdict_why": ("Pourquoi :", "الأسباب:", "Why:"),
    "verdict_clear": (
        "Aucune des règles connues ne s'oppose à votre candidature.",
        "لا تتعارض أي من القواعد المعروفة مع ترشيحكم.",
        "None of the known rules stands in the way of your application.",
    ),
    "source": ("Source : {source}", "المصدر: {source}", "Source: {source}"),
    "unconfirmed": (
        "non confirmé par un texte officiel de cette édition",
        "غير مؤكد بنص رسمي خاص بهذه الدورة",
        "not confirmed by an official text of this edition",
    ),
    "confirmed": ("confirmé", "مؤكد", "confirmed"),
    "disclaimer": (
        "Ce résultat est indicatif : seule la Division des clusters du Ministère peut confirmer l'éligibilité.",
        "هذه النتيجة استرشادية فقط، ولا يمكن تأكيد الأهلية إلا من طرف القسم المختص بالوزارة.",
        "This result is only a guide: only the Ministry's cluster Division can confirm eligibility.",
    ),
    "helpful": ("👍 Utile", "👍 مفيد", "👍 Helpful"),
    "not_helpful": ("👎 Pas utile", "👎 غير مفيد", "👎 Not helpful"),
    "feedback_thanks": (
        "Merci, votre avis aide la Division à améliorer les réponses.",
        "شكرا، رأيكم يساعد القسم على تحسين الأجوبة.",
        "Thank you: your feedback helps the Division improve the answers.",
    ),
    "topic_gone": (
        "Ce sujet n'est plus disponible ; posez votre question autrement.",
        "لم يعد هذا الموضوع متاحا؛ أعيدوا صياغة سؤالكم.",
        "This topic is no longer available; please ask in other words.",
    ),
    "back_to_check": (
        "Reprenons la vérification :",
        "لنعد إلى التحقق:",
        "Back to the check:",
    ),
    # the dossier
    "dossier_title": (
        "Dossier — édition {year} : {percent} % prêt",
        "الملف — دورة {year}: {percent}% جاهز",
        "Dossier — {year} edition: {percent}% ready",
    ),
    "dossier_hint": (
        "Touchez une pièce pour la voir. Pour joindre un document (PDF, DOCX, XLSX, JPG ou PNG, {limit} Mo "
        "au plus), envoyez-le ici comme fichier.",
        "اضغطوا على وثيقة لعرضها. لإرفاق مستند (PDF أو DOCX أو XLSX أو JPG أو PNG، {limit} ميغابايت على "
        "الأكثر)، أرسلوه هنا كملف.",
        "Tap an item to see it. To attach a document (PDF, DOCX, XLSX, JPG or PNG, {limit} MB at most), "
        "send it here as a file.",
    ),
    "status_todo": ("à faire", "للإنجاز", "to do"),
    "status_in_progress": ("en cours", "قيد الإنجاز", "in progress"),
    "status_done": ("fait", "منجز", "done"),
    "status_not_applicable": ("non applicable", "لا ينطبق", "not applicable"),
    "item_status": ("Statut : {status}", "الحالة: {status}", "Status: {status}"),
    "item_why": ("Pourquoi : {why}", "لماذا: {why}", "Why: {why}"),
    "item_likely": (
        "Pièce probable : la liste officielle de cette édition n'est pas publiée.",
        "وثيقة مرجحة: لم تُنشر اللائحة الرسمية لهذه الدورة.",
        "Likely item: this edition's official list is not published.",
    ),
    "item_confirmed": (
        "Pièce confirmée par un texte officiel.",
        "وثيقة مؤكدة بنص رسمي.",
        "Item confirmed by an official text.",
    ),
    "item_files": ("Fichiers joints : {files}", "الملفات المرفقة: {files}", "Attached files: {files}"),
    "btn_list": ("◀ Toutes les pièces", "جميع الوثائق ▶", "◀ All items"),
    "attach_which": (
        "À quelle pièce du dossier ce fichier correspond-il ?",
        "بأي وثيقة من الملف يتعلق هذا الملف؟",
        "Which dossier item is this file for?",
    ),
    "attached": ("« {name} » est joint à : {item}", "أُرفق «{name}» بـ: {item}", "“{name}” is attached to: {item}"),
    "already_attached": (
        "« {name} » était déjà joint à : {item}",
        "سبق إرفاق «{name}» بـ: {item}",
        "“{name}” was already attached to: {item}",
    ),
    "refused_type": (
        "Je n'accepte que les fichiers PDF, DOCX, XLSX, JPG ou PNG ; « {name} » n'a pas été conservé.",
        "لا أقبل إلا ملفات PDF أو DOCX أو XLSX أو JPG أو PNG؛ لم يُحفظ «{name}».",
        "I only accept PDF, DOCX, XLSX, JPG or PNG files; “{name}” was not kept.",
    ),
    "refused_size": (
        "« {name} » dépasse {limit} Mo ; il n'a pas été conservé.",
        "يتجاوز «{name}» {limit} ميغابايت؛ لم يُحفظ.",
        "“{name}” is over {limit} MB; it was not kept.",
    ),
    "refused_content": (
        "Le contenu de « {name} » ne correspond pas à son type ; il n'a pas été conservé.",
        "محتوى «{name}» لا يطابق نوعه؛ لم يُحفظ.",
        "The content of “{name}” does not match its type; it was not kept.",
    ),
    "attach_lost": (
        "Je ne retrouve plus le fichier de ce message : envoyez-le de nouveau.",
        "لم أعد أجد ملف هذه الرسالة: أرسلوه من جديد.",
        "I can no longer find this message's file: please send it again.",
    ),
    # summary, reminders, deletion
    "no_check": (
        "Vous n'avez pas encore commencé la vérification : /eligibilite",
        "لم تبدؤوا التحقق بعد: /eligibilite",
        "You have not started the check yet: /eligibilite",
    ),
    "reminders_state_on": ("🔔 Rappels activés.", "🔔 التذكير مفعل.", "🔔 Reminders are on."),
    "reminders_state_off": ("🔕 Rappels désactivés.", "🔕 التذكير غير مفعل.", "🔕 Reminders are off."),
    "reminders_schedule": (
        "Je vous écris 14, 7 et 1 jours avant la clôture de l'édition {year}, annoncée pour le {deadline}.",
        "أراسلكم قبل 14 و7 أيام ويوم واحد من اختتام دورة {year}، المعلن عنه في {deadline}.",
        "I write 14, 7 and 1 days before the {year} edition closes, announced for {deadline}.",
    ),
    "reminders_closed": (
        "L'édition {year} est close depuis le {deadline} : pas de rappel à envoyer d'ici la publication de la "
        "suivante.",
        "اختُتمت دورة {year} في {deadline}: لا تذكير إلى حين الإعلان عن الدورة المقبلة.",
        "The {year} edition closed on {deadline}: no reminder until the next one is announced.",
    ),
    "reminders_unknown": (
        "La date de clôture de l'édition {year} n'est pas connue : pas de rappel tant qu'elle ne l'est pas.",
        "تاريخ اختتام دورة {year} غير معروف: لا تذكير ما دام لم يُعلن عنه.",
        "The closing date of the {year} edition is not known: no reminder until it is.",
    ),
    "btn_reminders_on": ("🔔 Activer", "🔔 تفعيل", "🔔 Turn on"),
    "btn_reminders_off": ("🔕 Désactiver", "🔕 إلغاء", "🔕 Turn off"),
    "reminder": (
        "⏰ Rappel : l'appel à projets {year} se clôture le {deadline}. Jours restants : {days}.",
        "⏰ تذكير: يُختتم طلب المشاريع لسنة {year} في {deadline}. الأيام المتبقية: {days}.",
        "⏰ Reminder: the {year} call for projects closes on {deadline}. Days left: {days}.",
    ),
    "delete_confirm": (
        "Supprimer toutes vos données (réponses, questions posées, dossier et fichiers) ? C'est définitif.",
        "هل تريدون حذف جميع بياناتكم (الأجوبة والأسئلة المطروحة والملف والمستندات)؟ لا يمكن التراجع عن ذلك.",
        "Delete all your data (answers, questions asked, dossier and files)? This cannot be undone.",
    ),
    "btn_delete": ("🗑 Oui, tout supprimer", "🗑 نعم، احذفوا كل شيء", "🗑 Yes, delete everything"),
    "btn_cancel": ("Annuler", "إلغاء", "Cancel"),
    "delete_cancelled": ("Rien n'a été supprimé.", "لم يُحذف أي شيء.", "Nothing was deleted."),
    "nothing_stored": (
        "Je ne conserve aucune donnée vous concernant.",
        "لا أحتفظ بأي بيانات تخصكم.",
        "I keep no data about you.",
    ),
    "deleted": (
        "Toutes vos données ont été supprimées :",
        "حُذفت جميع بياناتكم:",
        "All your data was deleted:",
    ),
    "count_applicants": ("profil : {n}", "الملف الشخصي: {n}", "profile: {n}"),
    "count_intake_sessions": ("vérifications : {n}", "عمليات التحقق: {n}", "checks: {n}"),
    "count_answer_outcomes": (
        "réponses et avis enregistrés : {n}",
        "الأجوبة والآراء المسجلة: {n}",
        "answers and feedback kept: {n}",
    ),
    "count_asked_questions": ("questions posées : {n}", "الأسئلة المطروحة: {n}", "questions asked: {n}"),
    "count_checklist_items": ("pièces du dossier : {n}", "وثائق الملف: {n}", "dossier items: {n}"),
    "count_checklist_events": ("historique du dossier : {n}", "سجل الملف: {n}", "dossier history entries: {n}"),
    "count_attachments": ("fichiers joints : {n}", "الملفات المرفقة: {n}", "attached files: {n}"),
    "count_files": (
        "fichiers effacés du disque : {n}",
        "الملفات الممسوحة من القرص: {n}",
        "files erased from disk: {n}",
    ),
}

LANGUAGE_NAMES = {Language.FR: "Français", Language.AR: "العربية", Language.EN: "English"}
_INDEX = {Language.FR: 0, Language.AR: 1, Language.EN: 2}


def say(key: str, language: Language | str, **values: Any) -> str:
    """Return the text `key` in the language, as HTML, with `values` escaped into it."""
    template = _T[key][_INDEX[Language(language)]]
    return template.format(**{name: html.escape(str(value), quote=False) for name, value in values.items()})


def keys() -> list[str]:
    """Return every text key (for tests)."""
    return list(_T)
