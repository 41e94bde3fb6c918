"""Interface text in the six UN languages: the words the picture and the site put around the
graph's own labels. The graph's labels come from their sources; these phrases are the project's
own, translated here, and a phrase missing in a language falls back to English."""

from wsisgraph.core.languages import FALLBACK

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "title_goal": "WSIS action lines × SDG goals: number of links ({basis})",
        "title_target": "WSIS action lines × SDG targets: number of links ({basis})",
        "all bases": "all bases",
        "links per cell": "links per cell",
        "note_goal": "Each cell counts a link to the goal or to one of its targets, in the goal's official colour "
                     "(shown here in grey).",
        "note_target": "Each cell counts a link to the target (goal-level links are not shown), in the goal's "
                       "official colour (shown here in grey).",
        "note_c7": "The C7 row sums its eight sub-lines, listed under it.",
        "note_basis": "Basis: {basis}. Drawn from the wsisgraph graph {version}.",
        "note_fallback": "{count} labels have no version in this language and are shown in English.",
        "no links": "no links with basis {basis}",
        "Overview": "Overview", "Action lines": "Action lines", "SDG goals": "SDG goals", "Meetings": "Meetings",
        "Heatmap": "Heatmap", "Everything": "Everything", "Language": "Language",
    },
    "fr": {
        "title_goal": "Grandes orientations du SMSI × objectifs de développement durable : nombre de liens ({basis})",
        "title_target": "Grandes orientations du SMSI × cibles des ODD : nombre de liens ({basis})",
        "all bases": "toutes sources",
        "links per cell": "liens par case",
        "note_goal": "Chaque case compte les liens vers l’objectif ou l’une de ses cibles, dans la couleur officielle "
                     "de l’objectif (ici en gris).",
        "note_target": "Chaque case compte les liens vers la cible (les liens au niveau de l’objectif ne sont pas "
                       "montrés), dans la couleur officielle de l’objectif (ici en gris).",
        "note_c7": "La ligne C7 additionne ses huit sous-orientations, présentées en dessous.",
        "note_basis": "Source : {basis}. Tiré du graphe wsisgraph {version}.",
        "note_fallback": "{count} libellés n’existent pas en français et sont donnés en anglais.",
        "no links": "aucun lien de source {basis}",
        "Overview": "Aperçu", "Action lines": "Grandes orientations", "SDG goals": "Objectifs de développement durable",
        "Meetings": "Réunions", "Heatmap": "Carte de chaleur", "Everything": "Tout", "Language": "Langue",
    },
    "es": {
        "title_goal": "Líneas de acción de la CMSI × Objetivos de Desarrollo Sostenible: número de vínculos ({basis})",
        "title_target": "Líneas de acción de la CMSI × metas de los ODS: número de vínculos ({basis})",
        "all bases": "todas las fuentes",
        "links per cell": "vínculos por celda",
        "note_goal": "Cada celda cuenta los vínculos con el objetivo o con una de sus metas, en el color oficial "
                     "del objetivo (aquí en gris).",
        "note_target": "Cada celda cuenta los vínculos con la meta (no se muestran los vínculos con el objetivo), "
                       "en el color oficial del objetivo (aquí en gris).",
        "note_c7": "La fila C7 suma sus ocho sublíneas, que figuran debajo.",
        "note_basis": "Fuente: {basis}. Tomado del grafo wsisgraph {version}.",
        "note_fallback": "{count} etiquetas no existen en español y se muestran en inglés.",
        "no links": "ningún vínculo de la fuente {basis}",
        "Overview": "Resumen", "Action lines": "Líneas de acción", "SDG goals": "Objetivos de Desarrollo Sostenible",
        "Meetings": "Reuniones", "Heatmap": "Mapa de calor", "Everything": "Todo", "Language": "Idioma",
    },
    "ru": {
        "title_goal": "Направления деятельности ВВУИО × Цели в области устойчивого развития: число связей ({basis})",
        "title_target": "Направления деятельности ВВУИО × задачи ЦУР: число связей ({basis})",
        "all bases": "все источники",
        "links per cell": "связей в ячейке",
        "note_goal": "Каждая ячейка считает связи с целью или с одной из её задач, в официальном цвете цели "
                     "(здесь серым).",
        "note_target": "Каждая ячейка считает связи с задачей (связи с целью не показаны), в официальном цвете "
                       "цели (здесь серым).",
        "note_c7": "Строка C7 суммирует восемь её поднаправлений, перечисленных под ней.",
        "note_basis": "Источник: {basis}. По графу wsisgraph {version}.",
        "note_fallback": "{count} названий нет на русском языке; они даны на английском.",
        "no links": "нет связей из источника {basis}",
        "Overview": "Обзор", "Action lines": "Направления деятельности", "SDG goals": "Цели устойчивого развития",
        "Meetings": "Заседания", "Heatmap": "Тепловая карта", "Everything": "Всё", "Language": "Язык",
    },
    "zh-Hans": {
        "title_goal": "信息社会世界峰会行动方面 × 可持续发展目标：关联数（{basis}）",
        "title_target": "信息社会世界峰会行动方面 × 可持续发展具体目标：关联数（{basis}）",
        "all bases": "全部来源",
        "links per cell": "每格关联数",
        "note_goal": "每格统计与该目标或其某一具体目标的关联，以该目标的官方颜色显示（此处为灰色）。",
        "note_target": "每格统计与该具体目标的关联（不显示目标层面的关联），以目标的官方颜色显示（此处为灰色）。",
        "note_c7": "C7 行为其下所列八个分项之和。",
        "note_basis": "来源：{basis}。取自 wsisgraph 图 {version}。",
        "note_fallback": "{count} 个标签没有中文版本，以英文显示。",
        "no links": "没有来源为 {basis} 的关联",
        "Overview": "概览", "Action lines": "行动方面", "SDG goals": "可持续发展目标", "Meetings": "会议",
        "Heatmap": "热图", "Everything": "全部", "Language": "语言",
    },
    "ar": {
        "title_goal": "خطوط عمل القمة العالمية لمجتمع المعلومات × أهداف التنمية المستدامة: عدد الروابط ({basis})",
        "title_target": "خطوط عمل القمة العالمية لمجتمع المعلومات × غايات أهداف التنمية المستدامة: "
                        "عدد الروابط ({basis})",
        "all bases": "جميع المصادر",
        "links per cell": "الروابط في كل خانة",
        "note_goal": "تحسب كل خانة الروابط بالهدف أو بإحدى غاياته، باللون الرسمي للهدف (بالرمادي هنا).",
        "note_target": "تحسب كل خانة الروابط بالغاية (لا تظهر الروابط على مستوى الهدف)، باللون الرسمي للهدف "
                       "(بالرمادي هنا).",
        "note_c7": "يجمع صف C7 خطوطه الفرعية الثمانية المدرجة تحته.",
        "note_basis": "المصدر: {basis}. مأخوذ من رسم wsisgraph البياني {version}.",
        "note_fallback": "{count} تسمية ليست لها صيغة عربية وتظهر بالإنكليزية.",
        "no links": "لا روابط من المصدر {basis}",
        "Overview": "نظرة عامة", "Action lines": "خطوط العمل", "SDG goals": "أهداف التنمية المستدامة",
        "Meetings": "الاجتماعات", "Heatmap": "الخريطة الحرارية", "Everything": "الكل", "Language": "اللغة",
    },
}


def text(lang: str, key: str, **values: str | int) -> str:
    """The phrase in the language (its primary tag decides: fr-CA reads French), else in English."""
    by_lang = {tag.lower(): phrases for tag, phrases in MESSAGES.items()}
    phrases = by_lang.get(lang.lower()) or by_lang.get(lang.split("-")[0].lower()) or MESSAGES[FALLBACK]
    return phrases.get(key, MESSAGES[FALLBACK][key]).format(**values)
