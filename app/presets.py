"""Named configs the lessons use. Each makes a claim that a seeded test holds it to."""

from dataclasses import dataclass
from typing import Any

from app.schemas import TrainConfig


@dataclass(frozen=True)
class Preset:
    name: str
    config: dict[str, Any]  # what the claim rests on, pinned even where it equals a default
    title: dict[str, str]  # by language: "en", "zh-CN"
    explanation: dict[str, str]

    def train_config(self, **overrides: Any) -> TrainConfig:
        return TrainConfig(**{**self.config, **overrides})

    def public(self) -> dict[str, Any]:
        """What /api/presets and the pages show: the full config, title and explanation."""
        return {
            "name": self.name,
            "config": self.train_config().model_dump(),
            "title": self.title,
            "explanation": self.explanation,
        }


OVERFIT_L2 = 0.03
_OVERFIT: dict[str, Any] = {
    "dataset": "spiral2",
    "points": 120,
    "noise": 0.4,
    "label_noise": 0.15,
    "test_fraction": 0.5,
    "layers": 8,
    "width": 3,
    "residual": True,
    "lr": 0.03,
    "schedule": "cosine",
    "steps": 3000,
}

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in [
        Preset(
            "spiral2",
            {
                "dataset": "spiral2",
                "turns": 1.0,
                "layers": 8,
                "width": 2,
                "activation": "tanh",
                "init": "orthogonal",
                "optimizer": "adam",
                "lr": 0.02,
                "schedule": "cosine",
                "steps": 2000,
            },
            {"en": "Two spirals, pulled apart", "zh-CN": "两条螺旋线，被逐层拉开"},
            {
                "en": "Eight layers of two units each bend the plane until a straight line "
                "separates the two arms.",
                "zh-CN": "八层、每层两个单元，一层层弯折平面，直到一条直线就能把两条螺旋臂分开。",
            },
        ),
        Preset(
            "spiral2-deep",
            {
                "dataset": "spiral2",
                "turns": 1.75,
                "points": 1000,
                "noise": 0.0,
                "layers": 8,
                "width": 2,
                "residual": True,
                "lr": 0.02,
                "schedule": "cosine",
                "steps": 2000,
            },
            {"en": "Tighter spirals with residual layers", "zh-CN": "更紧的螺旋与残差层"},
            {
                "en": "With 1.75 turns plain two-unit layers get stuck; residual layers "
                "(a + σ(W·a + b)) move the plane a little at a time and untangle it.",
                "zh-CN": "螺旋绕 1.75 圈时，普通的两单元层会卡住；残差层（a + σ(W·a + b)）"
                "每次只把平面挪动一点，最终把它理顺。",
            },
        ),
        Preset(
            "spiral3",
            {
                "dataset": "spiral3",
                "layers": 6,
                "width": 3,
                "residual": True,
                "lr": 0.02,
                "schedule": "cosine",
                "steps": 1500,
            },
            {"en": "Three spirals in three dimensions", "zh-CN": "三维空间里的三条螺旋线"},
            {
                "en": "Three classes need room: with three units per layer the plane is lifted "
                "into space, and residual layers (a + σ(W·a + b)) move it a little at a time "
                "until flat cuts separate the three arms.",
                "zh-CN": "三个类别需要更多空间：每层三个单元把平面抬进三维，"
                "残差层（a + σ(W·a + b)）每次把它挪动一点，直到几个平面就能把三条螺旋臂分开。",
            },
        ),
        Preset(
            "xor",
            {
                "dataset": "xor",
                "points": 1000,
                "layers": 1,
                "width": 3,
                "activation": "leaky_relu",
                "init": "he",
                "lr": 0.2,
                "schedule": "cosine",
                "steps": 1000,
            },
            {"en": "XOR with one hidden layer", "zh-CN": "一个隐藏层解决异或"},
            {
                "en": "One hidden layer of three leaky-ReLU units lifts the plane into space and "
                "folds it, so that opposite corners end up on the same side of one flat cut. "
                "(Two units are not enough: XOR's corners need the third dimension.)",
                "zh-CN": "一个由三个 leaky ReLU 单元组成的隐藏层把平面抬进三维并折叠它，"
                "让对角的点落在同一个平面切口的同一侧。（两个单元不够：异或的四个角需要第三个维度。）",
            },
        ),
        Preset(
            "xor-perceptron",
            {"dataset": "xor", "points": 1000, "layers": 0, "lr": 0.1, "steps": 500},
            {"en": "A perceptron cannot learn XOR", "zh-CN": "感知机学不会异或"},
            {
                "en": "Without a hidden layer the only boundary is one straight line, and no "
                "line puts opposite corners of XOR on the same side.",
                "zh-CN": "没有隐藏层，边界只能是一条直线，而没有哪条直线能把异或的对角放在同一侧。",
            },
        ),
        Preset(
            "circles-2d",
            {
                "dataset": "circles",
                "layers": 4,
                "width": 2,
                "lr": 0.02,
                "schedule": "cosine",
                "steps": 2000,
            },
            {"en": "A disk in a ring, two units wide", "zh-CN": "圆环中的圆盘：两个单元宽"},
            {
                "en": "Two-unit layers cannot lift the disk out of the ring: the decision region "
                "leaks out to infinity somewhere.",
                "zh-CN": "两单元的层无法把圆盘从圆环里抬出来：决策区域总会在某处一直延伸到无穷远。",
            },
        ),
        Preset(
            "circles-3d",
            {
                "dataset": "circles",
                "layers": 2,
                "width": 3,
                "lr": 0.02,
                "schedule": "cosine",
                "steps": 2000,
            },
            {"en": "A disk in a ring, three units wide", "zh-CN": "圆环中的圆盘：三个单元宽"},
            {
                "en": "A third dimension lets the network lift the disk above the ring and "
                "cut between them with a flat plane.",
                "zh-CN": "有了第三个维度，网络可以把圆盘抬到圆环上方，再用一个平面把它们切开。",
            },
        ),
        Preset(
            "overfit",
            _OVERFIT,
            {"en": "Over-fitting", "zh-CN": "过拟合"},
            {
                "en": "Few noisy points (15% of the labels flipped) and a deep residual net: it "
                "memorises every training point while test accuracy lags far behind. Set l2 to "
                f"{OVERFIT_L2} (the preset overfit-l2) to narrow the gap.",
                "zh-CN": "点少、噪声大（15% 的标签被翻转）、网络又深：它记住了每一个训练点，"
                f"测试准确率却远远落后。把 l2 设为 {OVERFIT_L2}（预设 overfit-l2）可以缩小差距。",
            },
        ),
        Preset(
            "overfit-l2",
            {**_OVERFIT, "l2": OVERFIT_L2},
            {"en": "Over-fitting, reined in by L2", "zh-CN": "用 L2 抑制过拟合"},
            {
                "en": f"The same few noisy points, with an L2 penalty of {OVERFIT_L2}: small "
                "weights cannot bend the plane around every flipped label, so training accuracy "
                "drops and test accuracy rises.",
                "zh-CN": f"同样少而嘈杂的点，加上 {OVERFIT_L2} 的 L2 惩罚："
                "小的权重无法绕着每个被翻转的标签弯折平面，于是训练准确率下降，测试准确率上升。",
            },
        ),
        Preset(
            "soft",
            {
                "dataset": "soft",
                "points": 2000,
                "layers": 2,
                "width": 2,
                "lr": 0.02,
                "schedule": "cosine",
                "steps": 800,
            },
            {"en": "Learning a probability", "zh-CN": "学习一个概率"},
            {
                "en": "Each label was drawn at random from a smooth probability. The network "
                "cannot memorise coin flips; it learns the probability behind them.",
                "zh-CN": "每个标签都是按一个平滑的概率随机抽出来的。网络记不住抛硬币的结果，"
                "它学到的是背后的概率。",
            },
        ),
    ]
}


def resolve(preset: str | None, overrides: dict[str, Any]) -> TrainConfig:
    """A preset's config with explicit values on top; raises KeyError for an unknown preset."""
    base = PRESETS[preset].config if preset else {}
    return TrainConfig(**{**base, **overrides})
