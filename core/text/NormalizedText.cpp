#include "text/NormalizedText.h"

#include "text/Unicode.h"

namespace ts {

namespace {
constexpr char32_t kReplacementCharacter = 0xFFFD; // stands for a lone surrogate, as toUtf8() does
} // namespace

NormalizedText NormalizedText::fromQString(const QString &text, int begin, int end)
{
    NormalizedText out;
    out.reserve(std::size_t(end - begin));
    const QChar *data = text.constData();
    for (int i = begin; i < end;) {
        char32_t c = data[i].unicode();
        int next = i + 1;
        if (QChar::isHighSurrogate(c) && next < end && data[next].isLowSurrogate()) {
            c = QChar::surrogateToUcs4(data[i], data[next]);
            ++next;
        } else if (QChar::isSurrogate(c)) {
            c = kReplacementCharacter;
        }
        out.append(c, i, next);
        i = next;
    }
    return out;
}

void NormalizedText::append(char32_t c, int start, int end)
{
    const std::size_t before = bytes.size();
    unicode::appendUtf8(bytes, c);
    origStart.insert(origStart.end(), bytes.size() - before, start);
    origEnd.insert(origEnd.end(), bytes.size() - before, end);
}

void NormalizedText::appendRange(const NormalizedText &other, std::size_t from, std::size_t to)
{
    bytes.append(other.bytes, from, to - from);
    origStart.insert(origStart.end(), other.origStart.begin() + from, other.origStart.begin() + to);
    origEnd.insert(origEnd.end(), other.origEnd.begin() + from, other.origEnd.begin() + to);
}

void NormalizedText::reserve(std::size_t count)
{
    bytes.reserve(bytes.size() + count);
    origStart.reserve(origStart.size() + count);
    origEnd.reserve(origEnd.size() + count);
}

} // namespace ts
