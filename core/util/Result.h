#pragma once

#include <QString>

#include <optional>
#include <utility>

namespace ts {

/// The outcome of an operation that can fail with a message a person can act on
/// (qBittorrent's `nonstd::expected<T, QString>`). Either holds a value or an error text.
template <typename T>
class Result
{
public:
    Result(T value) : m_value(std::move(value)) {}

    /// A failed result carrying `message` (one sentence naming the file, line or field).
    static Result failure(QString message)
    {
        Result r;
        r.m_error = std::move(message);
        return r;
    }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return *m_value; }
    T &value() & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const T *operator->() const { return &*m_value; }
    T *operator->() { return &*m_value; }

    const QString &error() const { return m_error; }

private:
    Result() = default;

    std::optional<T> m_value;
    QString m_error;
};

/// Result of an operation that produces nothing but can fail.
class Status
{
public:
    Status() = default;

    static Status failure(QString message)
    {
        Status s;
        s.m_failed = true;
        s.m_error = std::move(message);
        return s;
    }

    template <typename T>
    static Status from(const Result<T> &result)
    {
        return result.ok() ? Status() : failure(result.error());
    }

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const QString &error() const { return m_error; }

private:
    bool m_failed = false;
    QString m_error;
};

} // namespace ts
