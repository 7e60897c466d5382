"""The notebook figures' words in English and 简体中文, as the page says them (strings.js).

An instructor writing course notes in Chinese calls `lw.language("zh-CN")` once; every figure
after that speaks it: titles, legends, the play buttons, the curves' axes. The run's own names
(datasets, stage ids such as `2.act`, setting names such as `width`) stay as the URL spells them.
"""

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "layers": "{dataset} · {layers} layers × {width}",
        "stage": "stage {stage}",
        "mirror": "mirror",
        "stretch": "stretch",
        "rotate": "rotate",
        "step": "step {step}",
        "last stage": "the last stage",
        "every stage": "every stage",
        "outputs": "each layer's output",
        "same": "the same settings",
        "class": "class {c} · {part}",
        "train": "train",
        "test": "test",
        "point": "point",
        "grid": "grid",
        "boundary": "boundary",
        "play": "▶ play",
        "pause": "❚❚ pause",
        "loss": "loss",
        "accuracy": "accuracy",
        "training step": "training step",
        "curves": "loss and accuracy",
        "vs": " vs ",
    },
    "zh-CN": {
        "layers": "{dataset} · {layers} 层 × {width}",
        "stage": "阶段 {stage}",
        "mirror": "镜像",
        "stretch": "拉伸",
        "rotate": "旋转",
        "step": "第 {step} 步",
        "last stage": "最后一个阶段",
        "every stage": "每个阶段",
        "outputs": "每一层的输出",
        "same": "设置相同",
        "class": "类别 {c} · {part}",
        "train": "训练",
        "test": "测试",
        "point": "点",
        "grid": "网格",
        "boundary": "边界",
        "play": "▶ 播放",
        "pause": "❚❚ 暂停",
        "loss": "损失",
        "accuracy": "准确率",
        "training step": "训练步",
        "curves": "损失与准确率",
        "vs": " 对比 ",
    },
}

_chosen = {"lang": "en"}


def language(lang: str | None = None) -> str | None:
    """The figures' language: set it with "en" or "zh-CN" (None back, so a notebook cell that
    ends with it shows no `Out`); without an argument, say which."""
    if lang is None:
        return _chosen["lang"]
    if lang not in WORDS:
        raise ValueError(f"language: {lang!r} is not one of {', '.join(WORDS)}")
    _chosen["lang"] = lang
    return None


def say(key: str, **values: object) -> str:
    """`key`'s words in the chosen language, with `values` put in."""
    return WORDS[_chosen["lang"]][key].format(**values)
