"""The guided lessons: each step sets a config, says what to watch, and points at a view.

Every step's `claim` is something the run really shows; tests/engine/test_lessons.py trains each
step's config and holds it to its claim, so the text can never promise what the picture won't.
Text is ours, written from the ideas in the team's source articles.
"""

from dataclasses import dataclass, field
from typing import Any

from app.presets import PRESETS
from app.schemas import TrainConfig

VIEWS = ("warp", "input", "wide", "curves", "inspector", "step")


@dataclass(frozen=True)
class Claim:
    """`metric` compared with `value` at the end of the run.

    Metrics: loss/acc train/test from the snapshot, `gap` (acc_train − acc_test),
    `separability_last`, `inner_reaches_edge` (class 0's region touches the wide window's edge).
    """

    metric: str
    op: str  # ">=" or "<=" or "=="
    value: float | bool


@dataclass(frozen=True)
class LessonStep:
    id: str
    preset: str | None  # None: TrainConfig's defaults
    overrides: dict[str, Any]
    view: str
    stage: str | None  # stage to show first ("last" = the last layer's output)
    title: dict[str, str]
    text: dict[str, str]
    claim: Claim
    extras: dict[str, Any] = field(default_factory=dict)

    def train_config(self) -> TrainConfig:
        if self.preset is None:
            return TrainConfig(**self.overrides)
        return PRESETS[self.preset].train_config(**self.overrides)


def _step(id, preset, view, stage, title, text, claim, **overrides) -> LessonStep:  # noqa: ANN001
    return LessonStep(id, preset, overrides, view, stage, title, text, claim)


LESSONS: list[LessonStep] = [
    _step(
        "three-moves",
        None,
        "warp",
        "1.W",
        {"en": "One layer, three moves", "zh-CN": "一层，三个动作"},
        {
            "en": "Step through 1.W, 1.b and 1.act. Multiplying by W stretches, turns and shears "
            "the plane, yet every grid line stays straight and parallel lines stay parallel. "
            "Adding b slides the whole plane; only σ bends it.",
            "zh-CN": "依次看 1.W、1.b、1.act。乘以 W 会拉伸、旋转、错切平面，但每条网格线仍是直的，"
            "平行线依旧平行。加上 b 只是把整个平面平移；只有 σ 才会把它弯曲。",
        },
        Claim("acc_test", ">=", 0.85),
        dataset="moons",
        layers=1,
        width=2,
        steps=800,
    ),
    _step(
        "compose",
        "spiral2",
        "warp",
        "last",
        {"en": "Layers compose", "zh-CN": "层层叠加"},
        {
            "en": "No single layer can untangle two spirals, but each one moves them a little. "
            "Play the layers and watch the arms come apart; the separability chart climbs "
            "layer by layer until a straight line splits the classes.",
            "zh-CN": "没有哪一层能单独解开两条螺旋线，但每一层都把它们挪动一点。播放各层，"
            "看两条螺旋臂逐渐分开；可分性图一层层上升，直到一条直线就能把两类分开。",
        },
        Claim("acc_test", ">=", 0.98),
    ),
    _step(
        "three-classes",
        "spiral3",
        "warp",
        "last",
        {"en": "Three classes, three dimensions", "zh-CN": "三个类别，三个维度"},
        {
            "en": "With three units per layer the plane is lifted into space. Turn the 3D view: "
            "the three arms end up in three separate corners, cut apart by flat planes.",
            "zh-CN": "每层三个单元时，平面被抬进三维空间。转动三维视图：三条螺旋臂最后各占一角，"
            "被平面切开。",
        },
        Claim("acc_test", ">=", 0.95),
    ),
    _step(
        "perceptron-xor",
        "xor-perceptron",
        "input",
        None,
        {"en": "A perceptron cannot learn XOR", "zh-CN": "感知机学不会异或"},
        {
            "en": "With no hidden layer the boundary is a single straight line. XOR puts equal "
            "labels in opposite corners, so any line gets at least a quarter of the points wrong.",
            "zh-CN": "没有隐藏层，边界只是一条直线。异或把相同的标签放在对角，"
            "所以任何一条直线至少会分错四分之一的点。",
        },
        Claim("acc_test", "<=", 0.75),
    ),
    _step(
        "xor-hidden",
        "xor",
        "warp",
        "last",
        {"en": "One hidden layer solves it", "zh-CN": "一个隐藏层就能解决"},
        {
            "en": "Add one hidden layer. It folds the plane so that the two corners of each class "
            "land on the same side — in the last space one straight line is enough.",
            "zh-CN": "加一个隐藏层。它把平面折叠，让同类的两个角落落到同一侧——"
            "在最后的空间里，一条直线就够了。",
        },
        Claim("acc_test", ">=", 0.99),
    ),
    _step(
        "gradient-step",
        "xor",
        "step",
        None,
        {"en": "How it learns: one step downhill", "zh-CN": "如何学习：向下走一步"},
        {
            "en": "Softmax turns the readout's scores into probabilities; cross-entropy is "
            "−log of the probability given to the true class. Pause and step once: every weight "
            "moves by w ← w − α·∂E/∂w, and the loss goes down.",
            "zh-CN": "softmax 把输出层的分数变成概率；交叉熵就是正确类别所得概率的负对数。"
            "暂停后单步执行：每个权重按 w ← w − α·∂E/∂w 移动，损失随之下降。",
        },
        Claim("acc_test", ">=", 0.99),
        # plain gradient descent, so the panel's "after" is exactly w − α·∂E/∂w
        optimizer="sgd",
        schedule="constant",
        lr=0.5,
    ),
    _step(
        "mini-batch",
        "spiral2",
        "curves",
        None,
        {"en": "Mini-batches: noisy but cheap", "zh-CN": "小批量：有噪声但便宜"},
        {
            "en": "Full-batch descent uses every point for each step, so its loss falls smoothly. "
            "Here each step sees only 64 points: the loss jitters, yet it still heads downhill.",
            "zh-CN": "全批量梯度下降每一步都用上全部的点，所以损失平滑下降。"
            "这里每一步只看 64 个点："
            "损失会抖动，但总体仍在下降。",
        },
        Claim("acc_test", ">=", 0.95),
        batch_size=64,
        lr=0.01,
    ),
    _step(
        "sigmoid-stalls",
        "spiral2",
        "inspector",
        None,
        {"en": "Sigmoid stalls deep, narrow nets", "zh-CN": "sigmoid 让又深又窄的网络停滞"},
        {
            "en": "Sigmoid's slope is at most 1/4, so the gradient shrinks at every layer on its "
            "way back. Look at the gradient norms in the inspector: the first layers barely move.",
            "zh-CN": "sigmoid 的斜率最多只有 1/4，梯度每往回传一层就缩小一次。"
            "看检查器里的梯度范数：前面几层几乎不动。",
        },
        Claim("acc_test", "<=", 0.9),
        activation="sigmoid",
    ),
    _step(
        "relu-folds",
        "spiral2",
        "warp",
        "1.act",
        {"en": "ReLU folds, and units can die", "zh-CN": "ReLU 会折叠，单元也会死掉"},
        {
            "en": "ReLU flattens everything negative onto an axis: the plane is folded, and a unit "
            "whose input is negative for every point stops learning for good.",
            "zh-CN": "ReLU 把所有负值压到坐标轴上：平面被折起来；"
            "如果某个单元对所有点的输入都是负的，"
            "它就再也学不动了。",
        },
        Claim("acc_test", "<=", 0.95),
        activation="relu",
        init="he",
    ),
    _step(
        "leaky-relu",
        "spiral2",
        "warp",
        "1.act",
        {"en": "Leaky ReLU keeps a little slope", "zh-CN": "Leaky ReLU 保留一点斜率"},
        {
            "en": "With slope 0.1 on the negative side no unit is ever fully dead, and the map "
            "stays one-to-one: the plane is creased, not squashed.",
            "zh-CN": "负半轴保留 0.1 的斜率，单元永远不会完全死掉，映射也保持一一对应："
            "平面被折出折痕，而不是被压扁。",
        },
        Claim("acc_train", ">=", 0.6),
        activation="leaky_relu",
        init="he",
    ),
    _step(
        "overfit",
        "overfit",
        "curves",
        None,
        {"en": "Train vs test: over-fitting", "zh-CN": "训练与测试：过拟合"},
        {
            "en": "Few noisy points and a deep net: the training accuracy keeps climbing while the "
            "test accuracy falls behind. The net is learning the noise, not the pattern.",
            "zh-CN": "点少、噪声大、网络又深：训练准确率不断上升，测试准确率却掉在后面。"
            "网络学到的是噪声，而不是规律。",
        },
        Claim("gap", ">=", 0.15),
    ),
    _step(
        "regularise",
        "overfit-l2",
        "curves",
        None,
        {"en": "L2 narrows the gap", "zh-CN": "L2 正则缩小差距"},
        {
            "en": "Same data and net, now with an L2 penalty l2·Σ‖W‖²/2 that pulls weights towards "
            "zero. Smaller weights bend the plane less, and train and test accuracy move closer.",
            "zh-CN": "同样的数据和网络，加上把权重拉向零的 L2 惩罚 l2·Σ‖W‖²/2。"
            "权重越小，平面被弯得越少，训练和测试准确率也更接近。",
        },
        Claim("gap", "<=", 0.1),
    ),
    _step(
        "probability",
        "soft",
        "input",
        None,
        {"en": "A network approximates a probability", "zh-CN": "网络逼近的是一个概率"},
        {
            "en": "Each label here was a coin flip with a smoothly varying bias. The net cannot "
            "predict the flips; the shading it learns is the bias itself — p(class | x).",
            "zh-CN": "这里的每个标签都是一次抛硬币，硬币的偏向随位置平滑变化。"
            "网络无法预测每次抛的结果；"
            "它学到的颜色深浅正是那个偏向——p(类别 | x)。",
        },
        Claim("acc_test", ">=", 0.7),
    ),
    _step(
        "extrapolation",
        "spiral2",
        "wide",
        None,
        {"en": "Far from the data, confident nonsense", "zh-CN": "远离数据：自信的胡话"},
        {
            "en": "Zoom out to a window three times wider. Where there was never any data the "
            "network still answers, often with near-certainty. Nothing there was learned.",
            "zh-CN": "缩小视图，看三倍宽的窗口。在从未有过数据的地方，网络照样给出答案，"
            "而且常常十分肯定。那里的一切都不是学来的。",
        },
        Claim("acc_test", ">=", 0.98),
    ),
    _step(
        "topology-leak",
        "circles-2d",
        "wide",
        None,
        {
            "en": "Two units cannot free a disk from a ring",
            "zh-CN": "两个单元无法把圆盘从圆环中取出",
        },
        {
            "en": "Each width-2 layer is a continuous, one-to-one map of the plane, so the disk "
            "can never be lifted out of the ring. The net does well on the data, but zoom out: "
            "the inner class's region leaks out to the edge.",
            "zh-CN": "每个两单元层都是平面到平面的连续一一映射，所以圆盘永远无法从圆环中被取出。"
            "网络在数据上表现不错，但缩小视图：内圈类别的区域一直漏到了边缘。",
        },
        Claim("inner_reaches_edge", "==", True),
    ),
    _step(
        "topology-lift",
        "circles-3d",
        "warp",
        "last",
        {"en": "A third dimension lifts it out", "zh-CN": "第三个维度把它抬出来"},
        {
            "en": "Give each layer three units and the disk can rise above the ring; a flat plane "
            "then separates them, and the inner region stays bounded.",
            "zh-CN": "让每层有三个单元，圆盘就能升到圆环之上；一个平面即可把它们分开，"
            "内圈的区域也不再外漏。",
        },
        Claim("acc_test", ">=", 0.99),
    ),
]


def lesson_index() -> list[dict[str, Any]]:
    """The lessons as JSON-ready dicts (config included), for the API and the page."""
    return [
        {
            "id": step.id,
            "preset": step.preset,
            "config": step.train_config().model_dump(),
            "view": step.view,
            "stage": step.stage,
            "title": step.title,
            "text": step.text,
        }
        for step in LESSONS
    ]
